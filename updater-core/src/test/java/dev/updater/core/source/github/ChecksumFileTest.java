package dev.updater.core.source.github;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.spi.VerificationException;
import org.junit.jupiter.api.Test;

class ChecksumFileTest {

  private static final String A = "a".repeat(64);
  private static final String B = "0123456789abcdef".repeat(4);

  private static ChecksumFile parse(String text) throws VerificationException {
    return ChecksumFile.parse(text.getBytes(UTF_8));
  }

  @Test
  void shouldReadTextAndBinaryModeLines() throws VerificationException {
    ChecksumFile sums = parse(A + "  app-linux.tar.gz\n" + B + " *app-darwin.tar.gz\n");

    assertThat(sums.sha256("app-linux.tar.gz")).contains(A);
    assertThat(sums.sha256("app-darwin.tar.gz")).contains(B);
    assertThat(sums.size()).isEqualTo(2);
  }

  @Test
  void shouldLowerCaseTheDigest() throws VerificationException {
    assertThat(parse(B.toUpperCase() + "  app.tar.gz\n").sha256("app.tar.gz")).contains(B);
  }

  @Test
  void shouldAcceptCrLfLineEndsAndEmptyLines() throws VerificationException {
    assertThat(parse(A + "  app.tar.gz\r\n\r\n" + B + "  b.zip").sha256("b.zip")).contains(B);
  }

  @Test
  void shouldMatchNamesExactly() throws VerificationException {
    ChecksumFile sums = parse(A + "  ./dist/app.tar.gz\n");

    assertThat(sums.sha256("app.tar.gz")).isEmpty();
    assertThat(sums.sha256("./dist/app.tar.gz")).contains(A);
  }

  @Test
  void shouldRefuseANameListedTwiceEvenWithTheSameDigest() {
    assertThatThrownBy(() -> parse(A + "  app.tar.gz\n" + A + " *app.tar.gz\n"))
        .isInstanceOf(VerificationException.class)
        .hasMessage("line 2 lists 'app.tar.gz' a second time; each name may appear only once");
  }

  @Test
  void shouldRefuseAShortDigest() {
    assertThatThrownBy(() -> parse("abc123  app.tar.gz\n"))
        .isInstanceOf(VerificationException.class)
        .hasMessage("line 1 is not '<64 hex digits>  <name>' or '<64 hex digits> *<name>': "
            + "'abc123  app.tar.gz'");
  }

  @Test
  void shouldRefuseASingleSpaceBeforeTheName() {
    assertThatThrownBy(() -> parse(A + " app.tar.gz\n"))
        .isInstanceOf(VerificationException.class)
        .hasMessageStartingWith("line 1 is not");
  }

  @Test
  void shouldRefuseAnEscapedLine() {
    assertThatThrownBy(() -> parse("\\" + A + "  app\\nname\n"))
        .isInstanceOf(VerificationException.class)
        .hasMessageStartingWith("line 1 is not");
  }

  @Test
  void shouldRefuseBsdStyleLines() {
    assertThatThrownBy(() -> parse("SHA256 (app.tar.gz) = " + A + "\n"))
        .isInstanceOf(VerificationException.class);
  }

  @Test
  void shouldRefuseANameWithAControlCharacter() {
    assertThatThrownBy(() -> parse(A + "  app\u0007.tar.gz\n"))
        .isInstanceOf(VerificationException.class)
        .hasMessage("line 1 names a file with a control character");
  }

  @Test
  void shouldRefuseBytesThatAreNotUtf8() {
    byte[] bytes = (A + "  app-").getBytes(UTF_8);
    byte[] bad = java.util.Arrays.copyOf(bytes, bytes.length + 1);
    bad[bytes.length] = (byte) 0xff;

    assertThatThrownBy(() -> ChecksumFile.parse(bad))
        .isInstanceOf(VerificationException.class)
        .hasMessage("it is not UTF-8 text");
  }

  @Test
  void shouldRefuseAFileLargerThanTheCap() {
    assertThatThrownBy(() -> ChecksumFile.parse(new byte[ChecksumFile.MAX_BYTES + 1]))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("more than the " + ChecksumFile.MAX_BYTES);
  }

  @Test
  void shouldReadAnEmptyFileAsListingNothing() throws VerificationException {
    assertThat(parse("").size()).isZero();
  }
}
