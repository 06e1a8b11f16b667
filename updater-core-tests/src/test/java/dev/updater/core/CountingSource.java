package dev.updater.core;

import dev.updater.core.spi.ReleaseSource;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts how often the index and the artifacts of a real source are read, and can fail the next
 * index reads with an {@link IOException}. Test use only.
 */
final class CountingSource implements ReleaseSource {
  private final ReleaseSource delegate;
  final AtomicInteger indexReads = new AtomicInteger();
  final AtomicInteger artifactOpens = new AtomicInteger();
  final AtomicInteger failNext = new AtomicInteger();

  CountingSource(ReleaseSource delegate) {
    this.delegate = delegate;
  }

  @Override
  public ReleaseIndex index(String channel) throws IOException {
    indexReads.incrementAndGet();
    if (failNext.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new IOException("connection refused (test)");
    }
    return delegate.index(channel);
  }

  @Override
  public InputStream open(Artifact artifact, long offset) throws IOException {
    artifactOpens.incrementAndGet();
    return delegate.open(artifact, offset);
  }

  @Override
  public String describe() {
    return delegate.describe();
  }
}
