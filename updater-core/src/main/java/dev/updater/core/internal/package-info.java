/**
 * The updater's implementation: the pipeline, the journal, the history and the default adapters'
 * workings. Not API: anything here may change in any release.
 */
package dev.updater.core.internal;
