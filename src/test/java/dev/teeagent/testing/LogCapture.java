package dev.teeagent.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.slf4j.LoggerFactory;

/**
 * Captures every log line of this JVM while open — Logback (the agent, Jetty) and java.util.logging
 * (OkHttp logs there) — with exception messages and causes, so a test can check that a secret
 * appears in none of them. {@link #start()} turns everything up to TRACE/ALL; {@link
 * #agentAtTrace()} only the agent's own loggers.
 */
public final class LogCapture implements AutoCloseable {
  private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  private final Level rootLevel = root.getLevel();
  private final List<Logger> ours =
      List.of(
          (Logger) LoggerFactory.getLogger("dev.teeagent"),
          (Logger) LoggerFactory.getLogger("teeagent"));
  private final List<Level> ourLevels = ours.stream().map(Logger::getLevel).toList();
  private final ListAppender<ILoggingEvent> logback = new ListAppender<>();
  private final java.util.logging.Logger julRoot = java.util.logging.Logger.getLogger("");
  private final java.util.logging.Level julLevel = julRoot.getLevel();
  private final List<String> jul = new ArrayList<>();
  private final Handler julHandler =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          StringBuilder line = new StringBuilder(record.getLoggerName()).append(' ');
          line.append(new SimpleFormatter().formatMessage(record));
          for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
            line.append(' ').append(t);
          }
          synchronized (jul) {
            jul.add(line.toString());
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  private LogCapture(boolean everything) {
    this(everything, true);
  }

  private LogCapture(boolean everything, boolean oursAtTrace) {
    logback.start();
    root.addAppender(logback);
    if (everything) {
      root.setLevel(Level.TRACE);
      julRoot.setLevel(java.util.logging.Level.ALL);
    }
    if (oursAtTrace) {
      ours.forEach(logger -> logger.setLevel(Level.TRACE));
    }
    julRoot.addHandler(julHandler);
  }

  /** Every logger at its shipped level: what an operator's log shows. */
  public static LogCapture asShipped() {
    return new LogCapture(false, false);
  }

  /** Every logger of the JVM at TRACE (Logback) and ALL (java.util.logging). */
  public static LogCapture start() {
    return new LogCapture(true);
  }

  /**
   * The agent's own loggers at TRACE, third-party libraries at their shipped levels: for tests
   * whose requests carry secrets on purpose, since Jetty at TRACE dumps raw network buffers, a
   * level the agent never enables.
   */
  public static LogCapture agentAtTrace() {
    return new LogCapture(false);
  }

  /** Every line so far: logger, formatted message, MDC and the messages of any exception chain. */
  public List<String> lines() {
    List<String> lines;
    synchronized (jul) {
      lines = new ArrayList<>(jul);
    }
    for (ILoggingEvent event : List.copyOf(logback.list)) {
      StringBuilder line = new StringBuilder(event.getLoggerName()).append(' ');
      line.append(event.getFormattedMessage()).append(' ').append(event.getMDCPropertyMap());
      for (IThrowableProxy p = event.getThrowableProxy(); p != null; p = p.getCause()) {
        line.append(' ').append(p.getClassName()).append(": ").append(p.getMessage());
      }
      lines.add(line.toString());
    }
    return lines;
  }

  @Override
  public void close() {
    root.detachAppender(logback);
    root.setLevel(rootLevel);
    for (int i = 0; i < ours.size(); i++) {
      ours.get(i).setLevel(ourLevels.get(i)); // as configured (ConsoleLogging), not inherited
    }
    julRoot.removeHandler(julHandler);
    julRoot.setLevel(julLevel);
  }
}
