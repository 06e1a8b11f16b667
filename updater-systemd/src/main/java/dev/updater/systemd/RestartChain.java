package dev.updater.systemd;

import dev.updater.core.UpdateContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tries restarters in order and uses the first that is available and succeeds: it asks each
 * candidate for its {@link Availability}, skips the unavailable ones, restarts with the first
 * available one, and when that restart fails moves on to the next candidate. Every skip, failure
 * and the final choice is logged with its reason and kept in {@link #lastDecisions()}.
 *
 * <pre>{@code
 * RestartChain chain = Restarters.firstAvailable(
 *     Restarters.pm2("myapp"), Restarters.systemdUser("myapp"),
 *     Restarters.systemdSystem("myapp"), Restarters.exitWith(75));
 * Updater updater = Updater.builder()...restarter(chain).build();
 * }</pre>
 *
 * <p>When no candidate works, {@link #restart} throws a {@link RestartException} naming every
 * candidate and why it was skipped or failed, with the failures suppressed in it. The chain is
 * itself a {@link DetectableRestarter}, so chains nest. Thread-safe; {@link #lastDecisions()}
 * reports the most recent call to {@code restart} that recorded a decision.
 */
public final class RestartChain implements DetectableRestarter {
  private static final Logger LOG = LoggerFactory.getLogger(RestartChain.class);

  /** What the chain did with one candidate. */
  public enum Outcome {
    /** Not available; not tried. */
    SKIPPED,
    /** Available, but its restart threw; the chain went on. */
    FAILED,
    /** Available and restarted; the chain stopped here. */
    RESTARTED
  }

  /**
   * One step of a chain's restart.
   *
   * @param restarter the candidate's {@link DetectableRestarter#description()}
   * @param outcome what happened to it
   * @param reason why: its availability reason, or its failure message
   */
  public record Decision(String restarter, Outcome outcome, String reason) {
    public Decision {
      Objects.requireNonNull(restarter, "restarter");
      Objects.requireNonNull(outcome, "outcome");
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public String toString() {
      return restarter + ": " + outcome.name().toLowerCase(java.util.Locale.ROOT) + " (" + reason
          + ")";
    }
  }

  private final List<DetectableRestarter> candidates;
  private volatile List<Decision> lastDecisions = List.of();

  private RestartChain(List<DetectableRestarter> candidates) {
    this.candidates = candidates;
  }

  /** A chain of {@code candidates}, tried in order; at least one. */
  public static RestartChain of(List<? extends DetectableRestarter> candidates) {
    Objects.requireNonNull(candidates, "candidates");
    if (candidates.isEmpty()) {
      throw new IllegalArgumentException("a restart chain needs at least one candidate");
    }
    for (int i = 0; i < candidates.size(); i++) {
      Objects.requireNonNull(candidates.get(i), "candidates[" + i + "]");
    }
    return new RestartChain(List.copyOf(candidates));
  }

  /** The candidates, in the order they are tried. */
  public List<DetectableRestarter> candidates() {
    return candidates;
  }

  /**
   * The decisions of the latest {@link #restart} call, in order: skips, failures and at most one
   * {@link Outcome#RESTARTED}. Empty before the first call. Updated after every decision, so a
   * restarter that ends the process leaves its choice logged before it does.
   */
  public List<Decision> lastDecisions() {
    return lastDecisions;
  }

  @Override
  public Availability availability() {
    List<String> reasons = new ArrayList<>();
    for (DetectableRestarter candidate : candidates) {
      Availability availability = availabilityOf(candidate);
      if (availability.isAvailable()) {
        return Availability.available(candidate.description() + ": " + availability.reason());
      }
      reasons.add(candidate.description() + ": " + availability.reason());
    }
    return Availability.unavailable("no candidate available: " + String.join("; ", reasons));
  }

  @Override
  public void restart(UpdateContext context) throws Exception {
    Objects.requireNonNull(context, "context");
    List<Decision> decisions = new ArrayList<>();
    List<Exception> failures = new ArrayList<>();
    lastDecisions = List.of();
    for (DetectableRestarter candidate : candidates) {
      String name = candidate.description();
      Availability availability = availabilityOf(candidate);
      if (!availability.isAvailable()) {
        LOG.info("Restart of {}: skipping {}: {}", context.to(), name, availability.reason());
        record(decisions, new Decision(name, Outcome.SKIPPED, availability.reason()));
        continue;
      }
      LOG.info("Restart of {}: using {} ({})", context.to(), name, availability.reason());
      try {
        candidate.restart(context);
      } catch (InterruptedException e) {
        record(decisions, new Decision(name, Outcome.FAILED, "interrupted"));
        throw e;
      } catch (Exception e) {
        LOG.warn("Restart of {}: {} failed, trying the next: {}", context.to(), name,
            e.getMessage());
        record(decisions, new Decision(name, Outcome.FAILED, String.valueOf(e.getMessage())));
        failures.add(e);
        continue;
      }
      LOG.info("Restart of {}: restarted with {}", context.to(), name);
      record(decisions, new Decision(name, Outcome.RESTARTED, availability.reason()));
      return;
    }
    String summary = decisions.stream().map(Decision::toString)
        .collect(Collectors.joining("; "));
    LOG.error("Restart of {}: no restarter worked: {}", context.to(), summary);
    RestartException none = new RestartException("no restarter worked: " + summary);
    failures.forEach(none::addSuppressed);
    throw none;
  }

  @Override
  public String description() {
    return candidates.stream().map(DetectableRestarter::description)
        .collect(Collectors.joining(" | ", "first of [", "]"));
  }

  @Override
  public String toString() {
    return "RestartChain" + candidates;
  }

  private void record(List<Decision> decisions, Decision decision) {
    decisions.add(decision);
    lastDecisions = List.copyOf(decisions);
  }

  private static Availability availabilityOf(DetectableRestarter candidate) {
    try {
      return Objects.requireNonNull(candidate.availability(), "availability()");
    } catch (RuntimeException e) {
      LOG.warn("{} failed to report its availability", candidate.description(), e);
      return Availability.unavailable("availability check failed: " + e);
    }
  }
}
