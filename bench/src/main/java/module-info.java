/** The benchmark harness behind {@code bench/run}. */
module dev.updater.bench {
  requires dev.updater.core;
  requires dev.updater.cli;
  requires dev.updater.examples;
  requires java.net.http;
  requires jmh.core;
  requires org.apache.commons.compress;
  requires java.logging;
  requires java.management;
  requires jdk.management;
  requires org.bouncycastle.provider;
  requires org.update4j;
  requires getdown.core;

  exports dev.updater.bench;
  exports dev.updater.bench.jmh;
  opens dev.updater.bench.jmh;
}
