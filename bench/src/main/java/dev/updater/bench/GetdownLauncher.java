package dev.updater.bench;

import com.threerings.getdown.data.Application;
import com.threerings.getdown.data.EnvConfig;
import com.threerings.getdown.data.Resource;
import com.threerings.getdown.net.Downloader;
import com.threerings.getdown.tools.Patcher;
import com.threerings.getdown.util.FileUtil;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * getdown's launcher ({@code com.threerings.getdown.launcher.Getdown#getdown()}, version 1.8.7)
 * without its user interface and without launching the application: the same calls on
 * getdown-core's {@link Application}, in the same order, so that the bench can time what a user
 * of getdown waits for. Left out, because they do not apply here: the proxy detection (its
 * {@code ProxyUtil} is in the launcher jar and only matters behind a proxy), the start delay,
 * the tracking events, the Java runtime download (no {@code java_version} is set) and the
 * launch.
 *
 * <pre>{@code
 * GetdownLauncher.update(appDir, "http://127.0.0.1:8080/getdown/1/");   // empty dir: full install
 * GetdownLauncher.update(appDir, null);                                  // later: an update
 * }</pre>
 *
 * <p>One update at a time per JVM: the bootstrap appbase goes through a system property, as the
 * launcher's {@code -Dappbase=} does.
 */
final class GetdownLauncher {
  /** The launcher's MAX_LOOPS. */
  private static final int MAX_LOOPS = 5;
  /** Held so that the level set on it is not lost when the logger is collected. */
  private static final Logger LOG = Logger.getLogger("com.threerings.getdown");

  static {
    // getdown logs a line per file at INFO; its warnings still show
    LOG.setLevel(Level.WARNING);
  }

  private GetdownLauncher() {}

  /**
   * Brings {@code appDir} to the version the appbase announces, as the launcher does at start-up:
   * reads {@code getdown.txt}, checks the metadata (and applies the patch and the new metadata
   * when a newer version is announced), verifies every resource against {@code digest2.txt},
   * downloads what is missing or differs, and renames the downloaded {@code _new} files into
   * place.
   *
   * @param bootstrapAppbase the appbase for an empty {@code appDir} (the launcher's
   *     {@code -Dappbase=}), or null when {@code appDir} holds an installed application
   * @throws IOException when getdown cannot bring the directory up to date in its five rounds
   */
  static synchronized void update(File appDir, String bootstrapAppbase) throws Exception {
    Application app = new Application(envConfig(appDir, bootstrapAppbase));
    Application.StatusDisplay status = message -> { };
    try {
      app.init(true);
    } catch (IOException e) {
      // an empty directory: no getdown.txt yet, fetch it from the bootstrap appbase
      app.attemptRecovery(status);
      app.init(true);
    }
    if (!app.lockForUpdates()) {
      throw new IOException("getdown's lock in " + appDir + " is held by another process");
    }
    try {
      int[] alreadyValid = new int[1];
      Set<Resource> unpacked = new HashSet<>();
      Set<Resource> toInstall = new HashSet<>();
      for (int i = 0; i < MAX_LOOPS; i++) {
        if (app.verifyMetadata(status)) {
          patchAndUpdateMetadata(app);
          continue;
        }
        Set<Resource> toDownload = new HashSet<>();
        app.verifyResources(percent -> { }, alreadyValid, unpacked, toInstall, toDownload);
        if (!toDownload.isEmpty()) {
          toInstall.addAll(toDownload);
          download(app, toDownload);
          continue;
        }
        if (!app.haveValidJavaVersion()) {
          // the launcher would download a Java runtime here; the deployment asks for none
          throw new IOException("getdown wants another Java runtime for " + appDir);
        }
        for (Resource resource : toInstall) {
          resource.install(true);
        }
        return;
      }
      throw new IOException("getdown did not bring " + appDir + " up to date in " + MAX_LOOPS
          + " rounds (see its warnings above)");
    } finally {
      app.releaseLock();
    }
  }

  /** The launcher's {@code update()}: clear the markers, apply the patch, fetch the metadata. */
  private static void patchAndUpdateMetadata(Application app) throws Exception {
    app.clearValidationMarkers();
    Resource patch = app.getPatchResource(null);
    if (patch != null) {
      download(app, List.of(patch));
      if (patch.getLocalNew().exists()) {
        patch.install(false);
        new Patcher().patch(patch.getLocal().getParentFile(), patch.getLocal(), null);
      }
      FileUtil.deleteHarder(patch.getLocal());
    }
    app.updateMetadata();
    app.init(true);
  }

  /** The launcher's {@code download()}: getdown's own downloader, its own concurrency. */
  private static void download(Application app, Collection<Resource> resources)
      throws IOException {
    List<String> failures = new ArrayList<>();
    Downloader downloader = new Downloader(app.conn) {
      @Override
      protected void downloadFailed(Resource resource, Exception cause) {
        synchronized (failures) {
          failures.add(resource + ": " + cause);
        }
      }
    };
    if (!downloader.download(resources, app.maxConcurrentDownloads())) {
      throw new IOException("getdown's download was aborted");
    }
    if (!failures.isEmpty()) {
      // the launcher only logs them and tries again in its next round
      Measure.log("  getdown: " + failures.size() + " downloads failed, first: "
          + failures.get(0));
    }
  }

  private static EnvConfig envConfig(File appDir, String bootstrapAppbase) throws IOException {
    List<EnvConfig.Note> notes = new ArrayList<>();
    String before = System.getProperty("appbase");
    EnvConfig envc;
    try {
      if (bootstrapAppbase != null) {
        System.setProperty("appbase", bootstrapAppbase);
      } else {
        System.clearProperty("appbase");
      }
      envc = EnvConfig.create(new String[] {appDir.getPath()}, notes);
    } finally {
      if (before == null) {
        System.clearProperty("appbase");
      } else {
        System.setProperty("appbase", before);
      }
    }
    for (EnvConfig.Note note : notes) {
      if (note.level == EnvConfig.Note.Level.ERROR) {
        throw new IOException("getdown's configuration of " + appDir + ": " + note.message);
      }
    }
    if (envc == null) {
      throw new IOException("getdown found no application directory at " + appDir);
    }
    return envc;
  }
}
