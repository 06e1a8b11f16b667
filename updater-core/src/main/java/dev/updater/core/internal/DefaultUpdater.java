package dev.updater.core.internal;

import dev.updater.core.HistoryEntry;
import dev.updater.core.Layout;
import dev.updater.core.Release;
import dev.updater.core.UpdateResult;
import dev.updater.core.UpdateStatus;
import dev.updater.core.Updater;
import dev.updater.core.Version;
import java.util.List;
import java.util.Optional;

/** The {@link Updater} implementation. Not API. */
public final class DefaultUpdater implements Updater {
  private final UpdaterConfig config;

  public DefaultUpdater(UpdaterConfig config) {
    this.config = config;
  }

  @Override
  public Optional<Release> check() {
    throw new UnsupportedOperationException("not yet implemented");
  }

  @Override
  public Optional<Release> find(Version version) {
    throw new UnsupportedOperationException("not yet implemented");
  }

  @Override
  public UpdateResult install(Release release) {
    throw new UnsupportedOperationException("not yet implemented");
  }

  @Override
  public UpdateResult downgrade(Release release) {
    throw new UnsupportedOperationException("not yet implemented");
  }

  @Override
  public UpdateResult rollback() {
    throw new UnsupportedOperationException("not yet implemented");
  }

  @Override
  public UpdateResult repair() {
    throw new UnsupportedOperationException("not yet implemented");
  }

  @Override
  public void clearError() {
    throw new UnsupportedOperationException("not yet implemented");
  }

  @Override
  public boolean recover() {
    throw new UnsupportedOperationException("not yet implemented");
  }

  @Override
  public UpdateStatus status() {
    throw new UnsupportedOperationException("not yet implemented");
  }

  @Override
  public List<HistoryEntry> history() {
    throw new UnsupportedOperationException("not yet implemented");
  }

  @Override
  public Layout layout() {
    return config.layout();
  }
}
