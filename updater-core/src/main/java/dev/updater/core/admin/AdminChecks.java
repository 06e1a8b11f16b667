package dev.updater.core.admin;

import dev.updater.core.CheckReport;
import dev.updater.core.UpdateException;
import dev.updater.core.UpdateMode;
import dev.updater.core.UpdateStatus;
import dev.updater.core.Updater;
import dev.updater.core.spi.TelemetrySink;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The update checks behind {@link UpdateAdmin#status(boolean)}: the updater's report, the last one
 * read (shown in {@link UpdateMode#DISABLED} and when a check fails), and the telemetry heartbeat
 * of an unforced check. Thread-safe: checks run one at a time.
 */
final class AdminChecks {
  // Logged under UpdateAdmin, the name a host configures its logging by.
  private static final Logger LOG = LoggerFactory.getLogger(UpdateAdmin.class);

  /** The key under which a gate reports the database provider ({@code ReleaseGate.facts()}). */
  static final String DATABASE_FACT = "database";

  private final Updater updater;
  private final TelemetrySink telemetry;
  private final Object checks = new Object();
  private volatile CheckReport lastReport; // the last report read; written under checks

  /** A report, or why it could not be made (with the last good report, if any). */
  record Checked(Optional<CheckReport> report, Optional<String> error, boolean fresh) {}

  AdminChecks(Updater updater, TelemetrySink telemetry) {
    this.updater = updater;
    this.telemetry = telemetry;
  }

  /**
   * The updater's report, read again when forced; an unforced request in DISABLED mode answers
   * the last report read here without asking the updater.
   */
  Checked report(boolean force) {
    synchronized (checks) {
      if (!force && updater.mode() == UpdateMode.DISABLED) {
        return new Checked(Optional.ofNullable(lastReport), Optional.empty(), false);
      }
      try {
        CheckReport report = updater.report(force);
        lastReport = report;
        return new Checked(Optional.of(report), Optional.empty(), !report.cached());
      } catch (UpdateException e) {
        LOG.warn("Update check for the admin status failed: {}", e.getMessage());
        return new Checked(Optional.ofNullable(lastReport), Optional.of(e.getMessage()), false);
      }
    }
  }

  /** A forced check for an install: read from the source and remembered as the last report. */
  CheckReport checkNow() {
    CheckReport report = updater.report(true);
    synchronized (checks) {
      lastReport = report;
    }
    return report;
  }

  /** Sends the telemetry heartbeat of an unforced check, when enabled; failures are logged. */
  void heartbeat(UpdateStatus st, boolean updateAvailable, CheckReport report) {
    if (telemetry == TelemetrySink.NONE) {
      return;
    }
    try {
      telemetry.send(new TelemetrySink.Heartbeat(st.running(), st.installed(), updateAvailable,
          TelemetrySink.Heartbeat.providerOf(report.facts().get(DATABASE_FACT))));
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      LOG.warn("The telemetry heartbeat was not sent: {}", e.toString());
    }
  }
}
