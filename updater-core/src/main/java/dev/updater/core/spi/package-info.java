/**
 * The ports an integrator implements to plug parts into the updater: where releases come from
 * ({@link dev.updater.core.spi.ReleaseSource}, and {@link
 * dev.updater.core.spi.ReleaseSourceProvider} to name one by URI scheme), how an artifact becomes
 * a release tree ({@link dev.updater.core.spi.Stager}), how it goes live ({@link
 * dev.updater.core.spi.Activator}), whether a release may be installed at all ({@link
 * dev.updater.core.spi.ReleaseGate}), how data moves forward ({@link
 * dev.updater.core.spi.MigrationRunner}, {@link dev.updater.core.spi.MigrationGuard}), how the new
 * code starts ({@link dev.updater.core.spi.Restarter}, {@link dev.updater.core.spi.HealthCheck}),
 * and how only one update runs at a time ({@link dev.updater.core.spi.LockStore}); and where the
 * optional telemetry heartbeat goes ({@link dev.updater.core.spi.TelemetrySink}).
 *
 * <p>Each port's default adapter is in the package of its capability ({@code source}, {@code
 * stage}, {@code activate}, {@code confirm}, {@code admin}); the testkit has a fake of each.
 * Ports throw checked exceptions; the pipeline alone turns them into {@link
 * dev.updater.core.UpdateException} with the right reason. The typed exceptions of this package
 * select a reason; any other exception is reported with the reason of the failing step.
 */
package dev.updater.core.spi;
