package dev.updater.core.internal;

import dev.updater.core.HistoryEntry;
import dev.updater.core.spi.TelemetrySink;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each history entry, as a {@link TelemetrySink.Result} without its message, to the sink the
 * host opted in with. A failure to send (or to read the install id) is logged and never reaches
 * the operation. Thread-safe when the sink is. Not API.
 */
final class ResultReporter implements Consumer<HistoryEntry> {
  private static final Logger LOG = LoggerFactory.getLogger(ResultReporter.class);

  private final TelemetrySink sink;
  private final Rollout installId;

  private ResultReporter(TelemetrySink sink, Rollout installId) {
    this.sink = sink;
    this.installId = installId;
  }

  /** What to do with each history entry: nothing when {@code sink} is {@link TelemetrySink#NONE}. */
  static Consumer<HistoryEntry> of(TelemetrySink sink, Path installIdFile) {
    return sink == TelemetrySink.NONE ? entry -> { }
        : new ResultReporter(sink, new Rollout(installIdFile));
  }

  @Override
  public void accept(HistoryEntry entry) {
    try {
      sink.sendResult(new TelemetrySink.Result(installId.installId(), entry.at(),
          entry.operation(), entry.outcome(), entry.from(), entry.to(), entry.reason()));
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      LOG.warn("The result of {} ({}) was not reported to {}: {}", entry.operation(),
          entry.outcome(), sink, e.toString());
    }
  }
}
