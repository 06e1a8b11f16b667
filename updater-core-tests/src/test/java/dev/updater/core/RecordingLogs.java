package dev.updater.core;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The SLF4J provider of updater-core's tests: silent (as without a provider), except while a
 * {@link Capture} is open, when it records every event of every level and thread, formatted, with
 * the full text of its throwable. Lets a test check what is logged, such as that a secret is not.
 *
 * <pre>{@code
 * try (RecordingLogs.Capture logs = RecordingLogs.capture()) {
 *   source.index("stable");
 *   assertThat(logs.lines()).noneMatch(l -> l.contains(token));
 * }
 * }</pre>
 *
 * <p>Thread-safe; one capture at a time; test use only.
 */
public final class RecordingLogs implements SLF4JServiceProvider {
  private static volatile List<String> sink;

  private final ILoggerFactory loggers = new Loggers();
  private final IMarkerFactory markers = new BasicMarkerFactory();
  private final MDCAdapter mdc = new NOPMDCAdapter();

  /** Starts recording, until the returned capture is closed. */
  public static Capture capture() {
    Capture capture = new Capture();
    sink = capture.lines;
    return capture;
  }

  /** The events recorded while it was open, one formatted line each (with any stack trace). */
  public static final class Capture implements AutoCloseable {
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private Capture() {}

    public List<String> lines() {
      return List.copyOf(lines);
    }

    @Override
    public void close() {
      sink = null;
    }
  }

  @Override
  public ILoggerFactory getLoggerFactory() {
    return loggers;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {}

  private static final class Loggers implements ILoggerFactory {
    private final ConcurrentMap<String, Logger> byName = new ConcurrentHashMap<>();

    @Override
    public Logger getLogger(String name) {
      return byName.computeIfAbsent(name, Recorder::new);
    }
  }

  private static final class Recorder extends LegacyAbstractLogger {
    private static final long serialVersionUID = 1L;

    Recorder(String name) {
      this.name = name;
    }

    private static boolean on() {
      return sink != null;
    }

    @Override
    public boolean isTraceEnabled() {
      return on();
    }

    @Override
    public boolean isDebugEnabled() {
      return on();
    }

    @Override
    public boolean isInfoEnabled() {
      return on();
    }

    @Override
    public boolean isWarnEnabled() {
      return on();
    }

    @Override
    public boolean isErrorEnabled() {
      return on();
    }

    @Override
    protected String getFullyQualifiedCallerName() {
      return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern,
        Object[] arguments, Throwable throwable) {
      List<String> lines = sink;
      if (lines == null) {
        return;
      }
      Throwable thrown = throwable;
      if (thrown == null && arguments != null && arguments.length > 0
          && arguments[arguments.length - 1] instanceof Throwable) {
        thrown = (Throwable) arguments[arguments.length - 1];
      }
      String line = level + " " + name + " - "
          + MessageFormatter.basicArrayFormat(pattern, arguments);
      lines.add(line + Optional.ofNullable(thrown).map(Recorder::stackTrace).orElse(""));
    }

    private static String stackTrace(Throwable t) {
      StringWriter out = new StringWriter();
      t.printStackTrace(new PrintWriter(out));
      return "\n" + out;
    }
  }
}
