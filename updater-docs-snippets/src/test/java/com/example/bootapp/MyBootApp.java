// tag::app[]
package com.example.bootapp;

import dev.updater.core.spi.Restarter;
import dev.updater.systemd.Restarters;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

@SpringBootApplication
public class MyBootApp {
  public static void main(String[] args) {
    SpringApplication.run(MyBootApp.class, args);  // once it is ready, the starter calls confirm()
  }

  @Bean
  Restarter restarter() {
    return Restarters.firstAvailable("myapp");     // systemd, pm2, or exit 75
  }
}
// end::app[]
