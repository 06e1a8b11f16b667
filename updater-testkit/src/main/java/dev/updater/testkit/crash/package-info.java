/**
 * Crash tests for a host's own upgrade flow: run it in a child JVM ({@link
 * dev.updater.testkit.crash.ChildJvm}) that halts at a {@link dev.updater.testkit.crash.FaultPoint}
 * as {@code kill -9} would, then check what the next start makes of the install ({@link
 * dev.updater.testkit.crash.CrashChecks}, {@link dev.updater.testkit.crash.TreeSnapshot}). See
 * {@code docs/testing.md}.
 */
package dev.updater.testkit.crash;
