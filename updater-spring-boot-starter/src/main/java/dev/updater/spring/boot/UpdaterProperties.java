package dev.updater.spring.boot;

import dev.updater.core.UpdateMode;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code updater.*} properties from which {@link UpdaterAutoConfiguration} builds an {@link
 * dev.updater.core.Updater}, an {@link dev.updater.core.UpdateScheduler} and an {@link
 * dev.updater.core.admin.UpdateAdmin}.
 *
 * <pre>{@code
 * updater.home=/opt/myapp
 * updater.source=https://updates.example.com/myapp/
 * updater.trusted-key-files=/etc/myapp/updates.pub
 * updater.running-version=@project.version@
 * updater.mode=notify
 * updater.maintenance-window=02:00-04:00
 * }</pre>
 *
 * <p>Only {@code updater.home} switches the auto-configuration on; {@code updater.source} and a
 * trusted key are then required unless the application defines its own {@link
 * dev.updater.core.spi.ReleaseSource} bean. A property left unset keeps the library's default.
 *
 * <p>Not thread-safe: bound once at start-up, then only read.
 */
@ConfigurationProperties(prefix = "updater")
public class UpdaterProperties {
  /** Whether to configure the updater at all. */
  private boolean enabled = true;

  /** The install's home directory: releases/, current, shared/ and .updater/ live in it. */
  private Path home;

  /**
   * Where releases come from: an https:// or http:// URL, a file: URI, a directory path, or a
   * github:owner/repo?asset=... location.
   */
  private String source;

  /** Minisign public key files (.pub) the repository's metadata must be signed by. */
  private List<Path> trustedKeyFiles = new ArrayList<>();

  /**
   * Minisign public keys given as text (the contents of a .pub file, or its base64 line), such as
   * from an environment variable.
   */
  private List<String> trustedKeys = new ArrayList<>();

  /** The release channel to follow, such as stable or beta; the library's default is stable. */
  private String channel;

  /** The application name the channel's index must carry; not checked when unset. */
  private String application;

  /** How the install takes updates on its own: notify, auto or disabled; default notify. */
  private UpdateMode mode;

  /**
   * The version this application runs, such as 1.0.0; needed to confirm an update at start-up.
   * Default: the version of the build-info (BuildProperties) when the application has one.
   */
  private String runningVersion;

  /** How often the scheduler checks for updates. */
  private Duration checkInterval = Duration.ofMinutes(5);

  /** The largest random delay added to each check interval. */
  private Duration checkJitter = Duration.ofSeconds(30);

  /** Whether to run the scheduler (periodic checks) at all; off, checks run only on request. */
  private boolean schedulerEnabled = true;

  /** A daily span in local time, such as 02:00-04:00, inside which auto mode installs. */
  private String maintenanceWindow;

  /** A URL the new release must answer with a 2xx status before it is confirmed. */
  private URI healthUrl;

  /** How long the health URL may take to answer with a 2xx status; the library's default 60 s. */
  private Duration healthTimeout;

  /** Paths under home/shared/ (such as data, config, logs) linked into every release. */
  private List<String> shared = new ArrayList<>();

  /** How many releases to keep on disk, the live one included; the library's default 3. */
  private Integer keep;

  /** How long a restarted release has to confirm before it is rolled back; default 60 s. */
  private Duration confirmationTimeout;

  /** How many starts of a restarted release may go unconfirmed; default 3. */
  private Integer maxUnconfirmedStarts;

  /** How long a check's channel index answers later unforced checks; default 1 hour. */
  private Duration checkCacheTtl;

  /** Whether an index without an expiry time is refused; default false. */
  private boolean requireExpiry;

  /** Whether to confirm the running release once the application is ready. */
  private boolean confirmOnReady = true;

  /** Properties with the defaults; Spring binds the {@code updater.*} values into them. */
  public UpdaterProperties() {}

  /** Whether to configure the updater at all. */
  public boolean isEnabled() {
    return enabled;
  }

  /** Sets whether to configure the updater at all. */
  public void setEnabled(boolean enabled) {
    this.enabled = enabled;
  }

  /** The install's home directory. */
  public Path getHome() {
    return home;
  }

  /** Sets the install's home directory. */
  public void setHome(Path home) {
    this.home = home;
  }

  /** Where releases come from. */
  public String getSource() {
    return source;
  }

  /** Sets where releases come from. */
  public void setSource(String source) {
    this.source = source;
  }

  /** The trusted minisign public key files. */
  public List<Path> getTrustedKeyFiles() {
    return trustedKeyFiles;
  }

  /** Sets the trusted minisign public key files. */
  public void setTrustedKeyFiles(List<Path> trustedKeyFiles) {
    this.trustedKeyFiles = trustedKeyFiles;
  }

  /** The trusted minisign public keys given as text. */
  public List<String> getTrustedKeys() {
    return trustedKeys;
  }

  /** Sets the trusted minisign public keys given as text. */
  public void setTrustedKeys(List<String> trustedKeys) {
    this.trustedKeys = trustedKeys;
  }

  /** The release channel. */
  public String getChannel() {
    return channel;
  }

  /** Sets the release channel. */
  public void setChannel(String channel) {
    this.channel = channel;
  }

  /** The application name the index must carry. */
  public String getApplication() {
    return application;
  }

  /** Sets the application name the index must carry. */
  public void setApplication(String application) {
    this.application = application;
  }

  /** The update mode. */
  public UpdateMode getMode() {
    return mode;
  }

  /** Sets the update mode. */
  public void setMode(UpdateMode mode) {
    this.mode = mode;
  }

  /** The version this application runs. */
  public String getRunningVersion() {
    return runningVersion;
  }

  /** Sets the version this application runs. */
  public void setRunningVersion(String runningVersion) {
    this.runningVersion = runningVersion;
  }

  /** How often the scheduler checks. */
  public Duration getCheckInterval() {
    return checkInterval;
  }

  /** Sets how often the scheduler checks. */
  public void setCheckInterval(Duration checkInterval) {
    this.checkInterval = checkInterval;
  }

  /** The largest random delay added to each interval. */
  public Duration getCheckJitter() {
    return checkJitter;
  }

  /** Sets the largest random delay added to each interval. */
  public void setCheckJitter(Duration checkJitter) {
    this.checkJitter = checkJitter;
  }

  /** Whether to run the scheduler. */
  public boolean isSchedulerEnabled() {
    return schedulerEnabled;
  }

  /** Sets whether to run the scheduler. */
  public void setSchedulerEnabled(boolean schedulerEnabled) {
    this.schedulerEnabled = schedulerEnabled;
  }

  /** The maintenance window, such as 02:00-04:00. */
  public String getMaintenanceWindow() {
    return maintenanceWindow;
  }

  /** Sets the maintenance window. */
  public void setMaintenanceWindow(String maintenanceWindow) {
    this.maintenanceWindow = maintenanceWindow;
  }

  /** The health URL of a new release. */
  public URI getHealthUrl() {
    return healthUrl;
  }

  /** Sets the health URL of a new release. */
  public void setHealthUrl(URI healthUrl) {
    this.healthUrl = healthUrl;
  }

  /** How long the health URL may take to answer with a 2xx status. */
  public Duration getHealthTimeout() {
    return healthTimeout;
  }

  /** Sets how long the health URL may take to answer with a 2xx status. */
  public void setHealthTimeout(Duration healthTimeout) {
    this.healthTimeout = healthTimeout;
  }

  /** The shared paths linked into every release. */
  public List<String> getShared() {
    return shared;
  }

  /** Sets the shared paths linked into every release. */
  public void setShared(List<String> shared) {
    this.shared = shared;
  }

  /** How many releases to keep on disk. */
  public Integer getKeep() {
    return keep;
  }

  /** Sets how many releases to keep on disk. */
  public void setKeep(Integer keep) {
    this.keep = keep;
  }

  /** How long a restarted release has to confirm. */
  public Duration getConfirmationTimeout() {
    return confirmationTimeout;
  }

  /** Sets how long a restarted release has to confirm. */
  public void setConfirmationTimeout(Duration confirmationTimeout) {
    this.confirmationTimeout = confirmationTimeout;
  }

  /** How many starts of a restarted release may go unconfirmed. */
  public Integer getMaxUnconfirmedStarts() {
    return maxUnconfirmedStarts;
  }

  /** Sets how many starts of a restarted release may go unconfirmed. */
  public void setMaxUnconfirmedStarts(Integer maxUnconfirmedStarts) {
    this.maxUnconfirmedStarts = maxUnconfirmedStarts;
  }

  /** How long a check's index answers later unforced checks. */
  public Duration getCheckCacheTtl() {
    return checkCacheTtl;
  }

  /** Sets how long a check's index answers later unforced checks. */
  public void setCheckCacheTtl(Duration checkCacheTtl) {
    this.checkCacheTtl = checkCacheTtl;
  }

  /** Whether an index without an expiry time is refused. */
  public boolean isRequireExpiry() {
    return requireExpiry;
  }

  /** Sets whether an index without an expiry time is refused. */
  public void setRequireExpiry(boolean requireExpiry) {
    this.requireExpiry = requireExpiry;
  }

  /** Whether to confirm the running release once the application is ready. */
  public boolean isConfirmOnReady() {
    return confirmOnReady;
  }

  /** Sets whether to confirm the running release once the application is ready. */
  public void setConfirmOnReady(boolean confirmOnReady) {
    this.confirmOnReady = confirmOnReady;
  }
}
