// tag::module[]
module com.example.updates {
  requires dev.updater.core;
  provides dev.updater.core.spi.ReleaseSourceProvider
      with com.example.updates.UsbStickSourceProvider;
}
// end::module[]
