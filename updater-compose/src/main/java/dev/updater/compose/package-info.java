/**
 * Docker Compose deployments: {@link dev.updater.compose.ComposeActivator} makes a release's
 * Compose file (every image pinned by digest) the live one, pulls its images, runs {@code docker
 * compose up -d --remove-orphans} and waits until every container is healthy, and restores the
 * previous Compose file and containers when any of that fails.
 *
 * <pre>{@code
 * Updater.builder()
 *     .home(Path.of("/srv/myapp"))
 *     .source(source)
 *     .activator(ComposeActivator.builder(Layout.of(Path.of("/srv/myapp"))).project("myapp").build())
 *     .build();
 * }</pre>
 *
 * <p>See {@code docs/deployment-shapes.md}.
 */
package dev.updater.compose;
