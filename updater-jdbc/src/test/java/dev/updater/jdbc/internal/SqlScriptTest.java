package dev.updater.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SqlScriptTest {
  private static List<String> sql(String script) {
    return SqlScript.split(script).stream().map(SqlScript.Statement::sql).toList();
  }

  @Test
  void splitsAtSemicolonsAndDropsEmptyParts() {
    assertThat(sql("SELECT 1;\n\n;SELECT 2")).containsExactly("SELECT 1", "SELECT 2");
  }

  @Test
  void keepsSemicolonsInsideStringsIdentifiersAndComments() {
    assertThat(sql("INSERT INTO t VALUES ('a;''b'); SELECT \"x;y\" FROM t -- c;d\n; /* e; /* f; */ g; */"))
        .containsExactly("INSERT INTO t VALUES ('a;''b')", "SELECT \"x;y\" FROM t -- c;d");
  }

  @Test
  void keepsADollarQuotedBodyWhole() {
    assertThat(sql("CREATE FUNCTION f() AS $fn$ BEGIN x; y; END $fn$ LANGUAGE plpgsql; SELECT $1"))
        .containsExactly("CREATE FUNCTION f() AS $fn$ BEGIN x; y; END $fn$ LANGUAGE plpgsql",
            "SELECT $1");
  }

  @Test
  void reportsTheLineEachStatementStartsOn() {
    assertThat(SqlScript.split("-- header\nSELECT 1;\n\nSELECT\n2;"))
        .extracting(SqlScript.Statement::line).containsExactly(2, 4);
  }

  @Test
  void refusesAnUnclosedStringNamingItsLine() {
    assertThatThrownBy(() -> SqlScript.split("SELECT 1;\nSELECT 'oops;"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the string opened on line 2 is never closed");
  }
}
