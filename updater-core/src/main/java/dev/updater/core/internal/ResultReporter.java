package dev.updater.core.internal;

import dev.updater.core.HistoryEntry;
import dev.updater.core.internal.io.AtomicFiles;
import dev.updater.core.spi.TelemetrySink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the history, entry by entry and in order, to the sink the host opted in with, as {@link
 * TelemetrySink.Result}s without their messages. Not API.
 *
 * <p>An outbox: {@code .updater/results-sent} holds how many history entries were sent. So an
 * entry that could not be sent (the vendor's endpoint down) and one that another process wrote
 * without a sink (the detached watcher's rollback, a recovery by the command-line tool) go out
 * with the next operation, check or confirmation of a process that has the sink. Delivery is at
 * least once: a crash between sending and recording, or two processes sending at once, can send
 * an entry twice (its {@code at} and the install id tell the copies apart). The first time an
 * install has a sink, the history it already holds is not sent. Failures are logged and never
 * reach the operation.
 *
 * <p>Thread-safe when the sink is.
 */
final class ResultReporter {
  private static final Logger LOG = LoggerFactory.getLogger(ResultReporter.class);
  private static final ResultReporter NONE = new ResultReporter(null, null, null, null);

  private final TelemetrySink sink;
  private final History history;
  private final Rollout installId;
  private final Path sentFile;
  /** The size of the history file when everything in it was last found sent. */
  private long settledSize = -1;

  private ResultReporter(TelemetrySink sink, History history, Rollout installId, Path sentFile) {
    this.sink = sink;
    this.history = history;
    this.installId = installId;
    this.sentFile = sentFile;
  }

  /**
   * The reporter of {@code history} to {@code sink}: one that does nothing when the sink is
   * {@link TelemetrySink#NONE}. Marks the entries already there as sent when the install has no
   * outbox file yet.
   */
  static ResultReporter of(TelemetrySink sink, History history, Path installIdFile,
      Path sentFile) {
    if (sink == TelemetrySink.NONE) {
      return NONE;
    }
    ResultReporter reporter = new ResultReporter(sink, history, new Rollout(installIdFile),
        sentFile);
    reporter.startOutbox();
    return reporter;
  }

  /** Sends every entry not sent yet, oldest first; stops at the first that fails. */
  synchronized void sendPending() {
    if (sink == null) {
      return;
    }
    try {
      long size = historySize();
      if (size == settledSize) {
        return;
      }
      List<HistoryEntry> entries = history.read();
      int sent = readSent();
      if (sent < 0) {
        LOG.warn("{} is not a count of sent results; results from now on are sent", sentFile);
        sent = entries.size();
        writeSent(sent);
      }
      sent = Math.min(sent, entries.size());
      while (sent < entries.size()) {
        if (!send(entries.get(sent))) {
          return;
        }
        sent++;
        writeSent(sent);
      }
      settledSize = size;
    } catch (IOException e) {
      LOG.warn("Could not read the update history or {} to report results: {}", sentFile,
          e.toString());
    }
  }

  private boolean send(HistoryEntry entry) {
    try {
      sink.sendResult(new TelemetrySink.Result(installId.installId(), entry.at(),
          entry.operation(), entry.outcome(), entry.from(), entry.to(), entry.reason()));
      return true;
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      LOG.warn("The result of {} ({}) was not reported to {}; it is sent again with the next "
          + "operation or check: {}", entry.operation(), entry.outcome(), sink, e.toString());
      return false;
    }
  }

  private void startOutbox() {
    if (Files.exists(sentFile)) {
      return;
    }
    try {
      writeSent(history.read().size());
    } catch (IOException e) {
      LOG.warn("Could not start the results outbox {}: {}", sentFile, e.toString());
    }
  }

  private long historySize() throws IOException {
    try {
      return Files.size(history.file());
    } catch (NoSuchFileException e) {
      return 0;
    }
  }

  /** How many entries were sent; -1 when the file holds no count. */
  private int readSent() throws IOException {
    try {
      return Integer.parseInt(Files.readString(sentFile, StandardCharsets.UTF_8).strip());
    } catch (NoSuchFileException e) {
      return 0;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private void writeSent(int sent) throws IOException {
    // not forced: after a power cut, at worst an entry is sent again
    AtomicFiles.writeUnforced(sentFile, (sent + "\n").getBytes(StandardCharsets.UTF_8));
  }
}
