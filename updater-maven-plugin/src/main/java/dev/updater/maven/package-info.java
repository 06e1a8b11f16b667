/**
 * The goals of {@code dev.updater:updater-maven-plugin}: {@code publish} (a release into an update
 * repository, signed), {@code keygen} (a signing key pair) and {@code verify} (a repository's
 * signatures, expiry and files). Not API: the goals and their parameters are the interface, as
 * {@code docs/publishing.md} describes them.
 */
package dev.updater.maven;
