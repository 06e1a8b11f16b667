package dev.updater.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class VersionTest {

  private static final List<String> SPEC_PRE_RELEASE_ORDER = List.of(
      "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta", "1.0.0-beta.2",
      "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0");

  private static final List<String> SPEC_NORMAL_ORDER = List.of("1.0.0", "2.0.0", "2.1.0", "2.1.1");

  @Test
  void shouldOrderPreReleasesAsTheSpecificationExampleDoes() {
    assertStrictlyIncreasing(SPEC_PRE_RELEASE_ORDER);
  }

  @Test
  void shouldOrderNormalVersionsNumericallyFieldByField() {
    assertStrictlyIncreasing(SPEC_NORMAL_ORDER);
    assertStrictlyIncreasing(List.of("1.9.0", "1.10.0", "1.11.0", "10.0.0"));
  }

  @Test
  void shouldCompareNumericPreReleaseIdentifiersAsNumbersNotText() {
    assertThat(Version.parse("1.0.0-rc.9")).isLessThan(Version.parse("1.0.0-rc.10"));
    assertThat(Version.parse("1.0.0-99999999999999999999"))
        .isLessThan(Version.parse("1.0.0-100000000000000000000"));
  }

  @Test
  void shouldRankNumericIdentifiersBelowAlphanumericOnes() {
    assertThat(Version.parse("1.0.0-1")).isLessThan(Version.parse("1.0.0-a"));
    assertThat(Version.parse("1.0.0-999")).isLessThan(Version.parse("1.0.0-0a"));
  }

  @Test
  void shouldSortAShuffledListIntoSpecificationOrder() {
    List<String> expected = new ArrayList<>(SPEC_PRE_RELEASE_ORDER);
    expected.addAll(SPEC_NORMAL_ORDER.subList(1, SPEC_NORMAL_ORDER.size()));
    List<Version> shuffled = expected.stream().map(Version::parse).collect(Collectors.toList());
    Collections.shuffle(shuffled, new Random(42));

    Collections.sort(shuffled);

    assertThat(shuffled).extracting(Version::toString).containsExactlyElementsOf(expected);
  }

  @Test
  void shouldIgnoreBuildMetadataForPrecedenceAndEquality() {
    Version a = Version.parse("1.0.0+build.1");
    Version b = Version.parse("1.0.0+build.2");

    assertThat(a).isEqualByComparingTo(b).isEqualTo(b).hasSameHashCodeAs(b);
    assertThat(a).isEqualTo(Version.parse("1.0.0"));
    assertThat(Version.parse("1.0.0-rc.1+zzz")).isLessThan(Version.parse("1.0.0+aaa"));
  }

  @Test
  void shouldKeepBuildMetadataInToString() {
    Version v = Version.parse("1.0.0-rc.1+build.007.exp-sha.5114f85");

    assertThat(v.toString()).isEqualTo("1.0.0-rc.1+build.007.exp-sha.5114f85");
    assertThat(v.build()).contains("build.007.exp-sha.5114f85");
    assertThat(v.preRelease()).containsExactly("rc", "1");
  }

  @Test
  void shouldHaveNoBuildWhenNoneIsGiven() {
    assertThat(Version.parse("1.2.3").build()).isEmpty();
    assertThat(Version.parse("1.2.3").isPreRelease()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"v1.2.3", "V1.2.3"})
  void shouldAcceptAndDropALeadingV(String text) {
    Version v = Version.parse(text);

    assertThat(v).isEqualTo(Version.of(1, 2, 3));
    assertThat(v.toString()).isEqualTo("1.2.3");
  }

  @Test
  void shouldAllowHyphensInsidePreReleaseAndBuildIdentifiers() {
    Version v = Version.parse("1.0.0-x-y-z.--+b-1");

    assertThat(v.preRelease()).containsExactly("x-y-z", "--");
    assertThat(v.build()).contains("b-1");
  }

  @Test
  void shouldAllowLeadingZerosInBuildMetadataOnly() {
    assertThat(Version.parse("1.0.0+001").build()).contains("001");
    assertThatThrownBy(() -> Version.parse("1.0.0-001"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'001' has a leading zero");
  }

  @Test
  void shouldExposeTheNumbersParsed() {
    Version v = Version.parse("10.20.30");

    assertThat(v.major()).isEqualTo(10);
    assertThat(v.minor()).isEqualTo(20);
    assertThat(v.patch()).isEqualTo(30);
  }

  @Test
  void shouldAnswerNewerAndOlder() {
    Version older = Version.parse("1.4.0");
    Version newer = Version.parse("1.5.0-rc.1");

    assertThat(newer.isNewerThan(older)).isTrue();
    assertThat(older.isOlderThan(newer)).isTrue();
    assertThat(older.isNewerThan(older)).isFalse();
    assertThat(older.isOlderThan(older)).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "01.0.0         | the major number '01' has a leading zero",
      "1.02.0         | the minor number '02' has a leading zero",
      "1.0.00         | the patch number '00' has a leading zero",
      "1.0.0-rc.01    | the pre-release identifier '01' has a leading zero",
      "1.0            | it needs exactly MAJOR.MINOR.PATCH, found 2 part(s)",
      "1              | it needs exactly MAJOR.MINOR.PATCH, found 1 part(s)",
      "1.0.0.0        | it needs exactly MAJOR.MINOR.PATCH, found 4 part(s)",
      "1..0           | the minor number is empty",
      "1.0.           | the patch number is empty",
      "v              | it is empty",
      "1.0.0-         | the pre-release has an empty identifier",
      "1.0.0-rc..1    | the pre-release has an empty identifier",
      "1.0.0+         | the build metadata has an empty identifier",
      "1.0.0+b..1     | the build metadata has an empty identifier",
      "1.0.0-rc_1     | the pre-release identifier 'rc_1' may hold only ASCII letters, digits and hyphens",
      "1.0.0+b@1      | the build metadata identifier 'b@1' may hold only ASCII letters, digits and hyphens",
      "1.0.0+a+b      | the build metadata identifier 'a+b' may hold only ASCII letters, digits and hyphens",
      "1.x.0          | the minor number 'x' is not a non-negative integer",
      "1.0.٣          | the patch number '٣' is not a non-negative integer",
      "9223372036854775808.0.0 | the major number '9223372036854775808' is too large",
  })
  void shouldRejectTextThatIsNotASemanticVersionNamingWhy(String text, String why) {
    assertThatThrownBy(() -> Version.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'" + text + "' is not a Semantic Version (MAJOR.MINOR.PATCH[-PRE][+BUILD]): "
            + why);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " 1.0.0", "1.0.0 ", "+1.0.0", "-1.0.0", "1.-1.0", "vv1.0.0"})
  void shouldRejectOtherMalformedText(String text) {
    assertThatThrownBy(() -> Version.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("'" + text + "' is not a Semantic Version");
  }

  @Test
  void shouldAcceptTheLargestNumbers() {
    Version v = Version.parse("9223372036854775807.0.0");

    assertThat(v.major()).isEqualTo(Long.MAX_VALUE);
    assertThat(v).isGreaterThan(Version.parse("9223372036854775806.999.999"));
  }

  @Test
  void shouldRefuseNegativeNumbersInOf() {
    assertThatThrownBy(() -> Version.of(1, -1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("1.-1.0");
  }

  private static void assertStrictlyIncreasing(List<String> texts) {
    for (int i = 0; i + 1 < texts.size(); i++) {
      Version lower = Version.parse(texts.get(i));
      Version higher = Version.parse(texts.get(i + 1));
      assertThat(lower).as("%s < %s", lower, higher).isLessThan(higher);
      assertThat(higher).as("%s > %s", higher, lower).isGreaterThan(lower);
      assertThat(lower).isNotEqualTo(higher);
    }
  }
}
