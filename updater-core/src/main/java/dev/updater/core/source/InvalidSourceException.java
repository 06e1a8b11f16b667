package dev.updater.core.source;

import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A source location that {@link ReleaseSources} cannot turn into a source: its scheme is not
 * served by any provider (or by two), or the provider refused the rest of the location. The
 * message says what is wrong and how to write the location; {@link #knownSchemes()} lists the
 * schemes that can be used.
 *
 * <pre>{@code
 * try {
 *   source = ReleaseSources.open(URI.create(text), keys);
 * } catch (InvalidSourceException e) {
 *   return badRequest(e.getMessage());          // "... use one of [file, github, http, https]"
 * }
 * }</pre>
 *
 * <p>Thrown before anything is read from the location; nothing has changed.
 */
public final class InvalidSourceException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /** What is wrong with the location. */
  public enum Kind {
    /** No provider serves the location's scheme. */
    UNKNOWN_SCHEME,
    /** More than one provider claims the scheme, so none is chosen. */
    AMBIGUOUS_SCHEME,
    /** The provider of the scheme refused the location (a missing option, a bad path...). */
    INVALID_LOCATION
  }

  private final Kind kind;
  private final String location;
  private final TreeSet<String> knownSchemes;

  /**
   * Creates the exception.
   *
   * @param kind what is wrong
   * @param location the location as given
   * @param knownSchemes the schemes that have exactly one provider
   * @param message what is wrong and what to do
   * @param cause the provider's refusal, or {@code null}
   */
  public InvalidSourceException(Kind kind, String location, Set<String> knownSchemes,
      String message, Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.location = Objects.requireNonNull(location, "location");
    this.knownSchemes = new TreeSet<>(knownSchemes);
  }

  /** What is wrong with the location. */
  public Kind kind() {
    return kind;
  }

  /** The location as it was given. */
  public String location() {
    return location;
  }

  /** The schemes that can be used, sorted; a plain directory path can always be used too. */
  public Set<String> knownSchemes() {
    return java.util.Collections.unmodifiableSet(knownSchemes);
  }
}
