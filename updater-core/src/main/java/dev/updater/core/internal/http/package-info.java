/**
 * The HTTP transport of the HTTP and GitHub sources: requests with timeouts, retries
 * with backoff and {@code Retry-After}, resumed downloads with {@code Range}, and the guarded body
 * stream that stops a slow or endless download. Logs as {@code
 * dev.updater.core.internal.http.HttpTransport}.
 *
 * <p>Not API: this package is not exported, and anything here may change in any release.
 */
package dev.updater.core.internal.http;
