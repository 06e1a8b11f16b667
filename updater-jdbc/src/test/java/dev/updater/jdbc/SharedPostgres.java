package dev.updater.jdbc;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A JUnit 5 extension that gives a test class the one embedded PostgreSQL of the test run: the
 * first class to need it starts it, every later class shares it, and JUnit stops it when the run
 * ends (it lives in the root context's store). Tests do not meet each other on it because each
 * takes a {@link #freshDatabase()} of its own.
 *
 * <pre>{@code
 * class FooPostgresTest {
 *   @RegisterExtension
 *   static final SharedPostgres POSTGRES = new SharedPostgres();
 *
 *   @Test
 *   void works() throws Exception {
 *     DataSource db = POSTGRES.freshDatabase();
 *     ...
 *   }
 * }
 * }</pre>
 *
 * <p>Register it on a {@code static} field so that it starts before {@code @BeforeAll} methods.
 * Thread-safe once started.
 */
final class SharedPostgres implements BeforeAllCallback {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(SharedPostgres.class);
  private static final AtomicInteger DATABASES = new AtomicInteger();

  private volatile EmbeddedPostgres server;

  @Override
  public void beforeAll(ExtensionContext context) {
    server = context.getRoot().getStore(NAMESPACE)
        .getOrComputeIfAbsent(Running.class, key -> Running.start(), Running.class).postgres;
  }

  /** The server; only between the {@code beforeAll} of the test class and the end of the run. */
  EmbeddedPostgres server() {
    EmbeddedPostgres s = server;
    if (s == null) {
      throw new IllegalStateException(
          "PostgreSQL is not started: register SharedPostgres on a static field");
    }
    return s;
  }

  /** A new, empty database on the shared server, so tests sharing it do not meet. */
  DataSource freshDatabase() throws SQLException {
    String name = "test_" + DATABASES.incrementAndGet();
    Fixtures.execute(server().getPostgresDatabase(), "CREATE DATABASE " + name);
    return server().getDatabase("postgres", name);
  }

  /** The started server, closed by JUnit with the root context at the end of the run. */
  private static final class Running implements ExtensionContext.Store.CloseableResource {
    final EmbeddedPostgres postgres;

    private Running(EmbeddedPostgres postgres) {
      this.postgres = postgres;
    }

    static Running start() {
      try {
        return new Running(EmbeddedPostgres.start());
      } catch (IOException e) {
        throw new IllegalStateException("embedded PostgreSQL did not start", e);
      }
    }

    @Override
    public void close() throws IOException {
      postgres.close();
    }
  }
}
