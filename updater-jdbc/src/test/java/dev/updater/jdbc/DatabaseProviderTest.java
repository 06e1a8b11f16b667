package dev.updater.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseProviderTest {
  @TempDir Path dir;

  @Test
  void detectsSqliteFromAFileDatabase() throws Exception {
    assertThat(DatabaseProvider.detect(Fixtures.sqlite(dir.resolve("app.db"))))
        .isEqualTo(DatabaseProvider.SQLITE);
  }

  @Test
  void namesTheKnownProductsInLowerCase() {
    assertThat(DatabaseProvider.fromProduct("PostgreSQL", "14.20")).isEqualTo(DatabaseProvider.POSTGRESQL);
    assertThat(DatabaseProvider.fromProduct("SQLite", "3.49.1")).isEqualTo(DatabaseProvider.SQLITE);
    assertThat(DatabaseProvider.fromProduct("H2", "2.2.224")).isEqualTo(DatabaseProvider.H2);
    assertThat(DatabaseProvider.fromProduct("MySQL", "8.0.36")).isEqualTo(DatabaseProvider.MYSQL);
    assertThat(DatabaseProvider.fromProduct("MariaDB", "10.11.6")).isEqualTo(DatabaseProvider.MARIADB);
  }

  @Test
  void recognisesMariaDbReachedThroughTheMySqlDriver() {
    assertThat(DatabaseProvider.fromProduct("MySQL", "5.5.5-10.6.12-MariaDB"))
        .isEqualTo(DatabaseProvider.MARIADB);
  }

  @Test
  void namesAnyOtherProductByItsProductNameInLowerCase() {
    assertThat(DatabaseProvider.fromProduct("Microsoft SQL Server", "16.0").name())
        .isEqualTo("microsoft sql server");
    assertThat(DatabaseProvider.fromProduct(" ", "1").name()).isEqualTo("unknown");
  }

  @Test
  void ofComparesNamesCaseInsensitively() {
    assertThat(DatabaseProvider.of(" PostgreSQL ")).isEqualTo(DatabaseProvider.POSTGRESQL);
  }

  @Test
  void refusesANameThatIsNotLowerCase() {
    assertThatThrownBy(() -> new DatabaseProvider("SQLite"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lower case");
  }

  @Test
  void aDataSourceThatCannotConnectIsATypedErrorNamingTheCause() {
    assertThatThrownBy(() -> DatabaseProvider.detect(Fixtures.unreachablePostgres()))
        .isInstanceOf(DatabaseUnavailableException.class)
        .hasMessageContaining("cannot connect to the database to detect the database provider")
        .hasCauseInstanceOf(SQLException.class);
  }
}
