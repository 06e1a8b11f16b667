/**
 * The {@code updater} command line: {@code keygen}, {@code publish}, {@code check}, {@code install},
 * {@code status}, {@code rollback}, {@code clear-error} and {@code history}. The entry point is
 * {@link dev.updater.cli.Main}; everything else here is package-private. Documented in
 * {@code docs/cli.md}.
 */
package dev.updater.cli;
