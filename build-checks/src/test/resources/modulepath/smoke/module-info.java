module smoke {
  requires dev.updater.core;
}
