/**
 * The restarters' workings: finding a command on a PATH, running it with a timeout and capturing
 * its output. Not API: anything here may change in any release.
 */
package dev.updater.systemd.internal;
