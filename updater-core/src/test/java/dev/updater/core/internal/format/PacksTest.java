package dev.updater.core.internal.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.updater.core.Version;
import dev.updater.core.spi.VerificationException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The pack index format: written and read back; an index that does not describe its pack
 * (objects running past its end, lengths that do not add up, huge lengths, another count,
 * malformed lines) is refused with a message naming the line; a prefix listed twice names no
 * object. Offsets are the running sum of the lengths, so no two objects can overlap.
 */
class PacksTest {
  private static final String A = "a".repeat(64);
  private static final String B = "b".repeat(64);
  private static final String C = "c".repeat(64);

  private static Packs.PackRef pack(int objects, long bytes) {
    return new Packs.PackRef(Version.parse("1.1.0"), "d".repeat(64), 100, objects, bytes);
  }

  private static byte[] index(String text) {
    return (Packs.HEADER + "\n" + text).getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void shouldPlaceEachObjectAtTheRunningSumOfTheLengthsBeforeIt() throws VerificationException {
    byte[] bytes = Packs.writeIndex(List.of(new Packs.Member(A, 10), new Packs.Member(B, 25),
        new Packs.Member(C, 5)));

    Map<String, Packs.Location> located = Packs.readIndex(pack(3, 40), bytes);

    assertThat(located.get(Packs.prefix(A))).isEqualTo(new Packs.Location(pack(3, 40), 0, 10));
    assertThat(located.get(Packs.prefix(B))).isEqualTo(new Packs.Location(pack(3, 40), 10, 25));
    assertThat(located.get(Packs.prefix(C))).isEqualTo(new Packs.Location(pack(3, 40), 35, 5));
  }

  @Test
  void shouldRefuseAnIndexWhoseObjectsRunPastThePack() {
    byte[] bytes = index("aaaaaaaaaaaaaaaa 10\nbbbbbbbbbbbbbbbb 31\n");

    assertThatThrownBy(() -> Packs.readIndex(pack(2, 40), bytes))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining("line 3").hasMessageContaining("runs past the pack's 40 bytes");
  }

  @Test
  void shouldRefuseAHugeLengthWithoutOverflowing() {
    byte[] bytes = index("aaaaaaaaaaaaaaaa 9999999999\n");

    assertThatThrownBy(() -> Packs.readIndex(pack(1, Long.MAX_VALUE - 5), index(
        "aaaaaaaaaaaaaaaa 9999999999\nbbbbbbbbbbbbbbbb 1\n")))
        .isInstanceOf(VerificationException.class).hasMessageContaining("lists 2 objects");
    assertThatThrownBy(() -> Packs.readIndex(pack(1, 40), bytes))
        .isInstanceOf(VerificationException.class).hasMessageContaining("runs past");
  }

  @Test
  void shouldRefuseAnIndexWhoseLengthsDoNotAddUpToThePack() {
    assertThatThrownBy(() -> Packs.readIndex(pack(1, 40), index("aaaaaaaaaaaaaaaa 30\n")))
        .isInstanceOf(VerificationException.class).hasMessageContaining("not the pack's 40");
  }

  @Test
  void shouldRefuseMalformedLinesAndAnotherCount() {
    assertThatThrownBy(() -> Packs.readIndex(pack(1, 10), index("AAAAAAAAAAAAAAAA 10\n")))
        .isInstanceOf(VerificationException.class).hasMessageContaining("line 2");
    assertThatThrownBy(() -> Packs.readIndex(pack(1, 10), index("aaaaaaaaaaaaaaaa -10\n")))
        .isInstanceOf(VerificationException.class);
    assertThatThrownBy(() -> Packs.readIndex(pack(1, 10), index("aaaaaaaaaaaaaaaa 010\n")))
        .isInstanceOf(VerificationException.class);
    assertThatThrownBy(() -> Packs.readIndex(pack(2, 10), index("aaaaaaaaaaaaaaaa 10\n")))
        .isInstanceOf(VerificationException.class).hasMessageContaining("lists 1 objects");
    assertThatThrownBy(() -> Packs.readIndex(pack(1, 10),
        "other 1\naaaaaaaaaaaaaaaa 10\n".getBytes(StandardCharsets.US_ASCII)))
        .isInstanceOf(VerificationException.class).hasMessageContaining("does not start");
  }

  @Test
  void shouldPlaceNeitherObjectWhenTwoShareAPrefix() throws VerificationException {
    String twin = Packs.prefix(A) + "f".repeat(48);
    byte[] bytes = Packs.writeIndex(List.of(new Packs.Member(A, 10), new Packs.Member(twin, 10),
        new Packs.Member(B, 10)));

    Map<String, Packs.Location> located = Packs.readIndex(pack(3, 30), bytes);

    assertThat(located).containsOnlyKeys(Packs.prefix(B));
  }
}
