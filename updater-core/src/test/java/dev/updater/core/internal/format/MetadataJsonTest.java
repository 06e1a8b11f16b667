package dev.updater.core.internal.format;

import static java.nio.charset.StandardCharsets.UTF_16BE;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.updater.core.Artifact;
import dev.updater.core.Release;
import dev.updater.core.ReleaseIndex;
import dev.updater.core.Requirements;
import dev.updater.core.Version;
import dev.updater.core.spi.VerificationException;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MetadataJsonTest {

  private static final String SHA_A =
      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  private static final String SHA_B =
      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

  /** A valid index with two releases; tests break it one field at a time. */
  private static final String VALID = """
      {
        "application": "myapp",
        "channel": "stable",
        "serial": 7,
        "expires": "2026-12-01T00:00:00Z",
        "releases": [
          {
            "version": "1.0.0",
            "artifacts": [ { "name": "myapp-1.0.0.tar.gz", "size": 100, "sha256": "%s", "url": "releases/1.0.0/myapp-1.0.0.tar.gz" } ]
          },
          {
            "version": "1.1.0",
            "channel": "stable",
            "publishedAt": "2026-11-20T10:00:00Z",
            "notes": "Faster search.",
            "requires": { "databaseProviders": ["postgresql"], "upgradesFrom": "1.0.0" },
            "artifacts": [ { "name": "myapp-1.1.0.tar.gz", "size": 123, "sha256": "%s", "url": "releases/1.1.0/myapp-1.1.0.tar.gz" } ]
          }
        ]
      }
      """.formatted(SHA_A, SHA_B);

  @Test
  void shouldReadEveryFieldOfAValidIndex() throws Exception {
    ReleaseIndex index = MetadataJson.read(VALID.getBytes(UTF_8));

    assertThat(index.application()).isEqualTo("myapp");
    assertThat(index.channel()).isEqualTo("stable");
    assertThat(index.serial()).isEqualTo(7);
    assertThat(index.expires()).contains(Instant.parse("2026-12-01T00:00:00Z"));
    assertThat(index.releases()).hasSize(2);
    Release newest = index.releases().get(1);
    assertThat(newest).isEqualTo(new Release(
        Version.parse("1.1.0"), "stable",
        List.of(new Artifact("myapp-1.1.0.tar.gz", 123, SHA_B, "releases/1.1.0/myapp-1.1.0.tar.gz")),
        new Requirements(Set.of("postgresql"), Optional.of(Version.parse("1.0.0"))),
        "Faster search.", Optional.of(Instant.parse("2026-11-20T10:00:00Z"))));
  }

  @Test
  void shouldApplyTheDefaultsOfOptionalFields() throws Exception {
    Release first = MetadataJson.read(VALID.getBytes(UTF_8)).releases().get(0);

    assertThat(first.channel()).isEqualTo("stable");
    assertThat(first.notes()).isEmpty();
    assertThat(first.requirements()).isEqualTo(Requirements.NONE);
    assertThat(first.publishedAt()).isEmpty();
  }

  @Test
  void shouldDefaultAnEmptyRequiresObjectToNoRequirements() throws Exception {
    String json = edit("releases[1].requires", "{}");

    assertThat(MetadataJson.read(json.getBytes(UTF_8)).releases().get(1).requirements())
        .isEqualTo(Requirements.NONE);
  }

  @Test
  void shouldReadAnIndexWithoutExpiryOrReleases() throws Exception {
    String json = "{\"application\":\"a\",\"channel\":\"beta\",\"serial\":0,\"releases\":[]}";

    ReleaseIndex index = MetadataJson.read(json.getBytes(UTF_8));

    assertThat(index.expires()).isEmpty();
    assertThat(index.releases()).isEmpty();
  }

  @Test
  void shouldKeepAReleaseChannelThatDiffersFromTheIndexChannel() throws Exception {
    String json = edit("releases[1].channel", "\"beta\"");

    ReleaseIndex index = MetadataJson.read(json.getBytes(UTF_8));

    assertThat(index.releases().get(1).channel()).isEqualTo("beta");
  }

  @Test
  void shouldRoundTripAFullIndexThroughWriteAndRead() throws Exception {
    ReleaseIndex index = fullIndex();

    byte[] written = MetadataJson.write(index);
    ReleaseIndex read = MetadataJson.read(written);

    assertThat(read).isEqualTo(index);
    assertThat(read.releases().get(0).version().toString()).isEqualTo("2.0.0-rc.1+build.5");
    assertThat(MetadataJson.write(read)).isEqualTo(written);
  }

  @Test
  void shouldRoundTripTheSampleIndex() throws Exception {
    ReleaseIndex index = MetadataJson.read(VALID.getBytes(UTF_8));

    assertThat(MetadataJson.read(MetadataJson.write(index))).isEqualTo(index);
  }

  @Test
  void shouldWritePrettyPrintedJsonInAFixedFieldOrder() {
    String text = new String(MetadataJson.write(fullIndex()), UTF_8);

    assertThat(text).isEqualTo("""
        {
          "application": "myapp",
          "channel": "beta",
          "serial": 9223372036854775807,
          "expires": "2026-12-01T00:00:00.500Z",
          "releases": [
            {
              "version": "2.0.0-rc.1+build.5",
              "channel": "beta",
              "publishedAt": "2026-11-20T10:00:00Z",
              "notes": "Line one.\\nQuotes \\"and\\" ünïcödé ✓.",
              "requires": {
                "databaseProviders": [
                  "h2",
                  "postgresql"
                ],
                "upgradesFrom": "1.4.0"
              },
              "artifacts": [
                {
                  "name": "myapp-2.0.0.tar.gz",
                  "size": 0,
                  "sha256": "%s",
                  "url": "releases/2.0.0/myapp-2.0.0.tar.gz"
                },
                {
                  "name": "myapp-2.0.0.zip",
                  "size": 5000000000,
                  "sha256": "%s",
                  "url": "https://cdn.example.com/myapp-2.0.0.zip"
                }
              ]
            },
            {
              "version": "1.4.0",
              "channel": "stable",
              "artifacts": [
                {
                  "name": "myapp-1.4.0.tar.gz",
                  "size": 1,
                  "sha256": "%s",
                  "url": "releases/1.4.0/myapp-1.4.0.tar.gz"
                }
              ]
            }
          ]
        }
        """.formatted(SHA_A, SHA_B, SHA_A));
  }

  @Test
  void shouldWriteTheSameBytesForEqualIndexes() {
    assertThat(MetadataJson.write(fullIndex())).isEqualTo(MetadataJson.write(fullIndex()));
  }

  @Test
  void shouldRefuseToWriteAnIndexThatWouldNotReadBack() {
    ReleaseIndex index = new ReleaseIndex("myapp", "../stable", 1, Optional.empty(), List.of());

    assertThatThrownBy(() -> MetadataJson.write(index))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("channel '../stable' is not a channel name");
  }

  @Test
  void shouldIgnoreUnknownFieldsAtEveryLevel() throws Exception {
    String json = VALID
        .replace("\"serial\": 7,", "\"serial\": 7, \"signedBy\": {\"keys\": [1, 2.5, null]},")
        .replace("\"version\": \"1.1.0\",", "\"version\": \"1.1.0\", \"weight\": 0.25, \"x\": null,")
        .replace("\"upgradesFrom\": \"1.0.0\"", "\"upgradesFrom\": \"1.0.0\", \"os\": [\"linux\"]")
        .replace("\"size\": 123,", "\"size\": 123, \"mirrors\": [\"https://m.example.com\"],");

    ReleaseIndex withUnknown = MetadataJson.read(json.getBytes(UTF_8));

    assertThat(withUnknown).isEqualTo(MetadataJson.read(VALID.getBytes(UTF_8)));
  }

  @Test
  void shouldReadARolloutPercentageAndDefaultItToEveryInstall() throws Exception {
    ReleaseIndex index = MetadataJson.read(edit("releases[1].rollout", "10").getBytes(UTF_8));

    assertThat(index.releases().get(0).rollout()).isEqualTo(100);
    assertThat(index.releases().get(1).rollout()).isEqualTo(10);
  }

  @ParameterizedTest(name = "rollout {0}")
  @ValueSource(strings = {"101", "-1", "10.0", "1e1", "\"10\"", "null", "true", "4294967306"})
  void shouldRejectARolloutThatIsNotAnIntegerPercentage(String rollout) {
    assertRejected(edit("releases[1].rollout", rollout),
        "releases[1].rollout must be an integer percentage from 0 to 100, found");
  }

  @Test
  void shouldWriteARolloutOnlyWhenItIsNotEveryInstallAndReadItBack() throws Exception {
    ReleaseIndex full = fullIndex();
    Release halted = full.releases().get(0).withRollout(0);
    ReleaseIndex index = new ReleaseIndex(full.application(), full.channel(), full.serial(),
        full.expires(), List.of(halted, full.releases().get(1)));

    byte[] written = MetadataJson.write(index);

    assertThat(MetadataJson.read(written)).isEqualTo(index);
    assertThat(new String(written, UTF_8)).containsOnlyOnce("\"rollout\": 0");
    assertThat(new String(MetadataJson.write(full), UTF_8)).doesNotContain("rollout");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "application", "channel", "serial", "releases", "releases[1].version",
      "releases[1].artifacts", "releases[1].artifacts[0].name", "releases[1].artifacts[0].size",
      "releases[1].artifacts[0].sha256", "releases[1].artifacts[0].url"})
  void shouldNameTheMissingRequiredField(String path) {
    assertRejected(edit(path, null), path + " is missing");
  }

  @Test
  void shouldNameMissingReleasesAndArtifacts() {
    assertRejected("{\"application\":\"a\",\"channel\":\"c\",\"serial\":1}", "releases is missing");
    assertRejected("{\"application\":\"a\",\"channel\":\"c\",\"serial\":1,\"releases\":[{\"version\":\"1.0.0\"}]}",
        "releases[0].artifacts is missing");
  }

  @Test
  void shouldRequireAtLeastOneArtifact() {
    assertRejected(
        "{\"application\":\"a\",\"channel\":\"c\",\"serial\":1,\"releases\":[{\"version\":\"1.0.0\",\"artifacts\":[]}]}",
        "releases[0].artifacts must list at least one artifact");
  }

  @Test
  void shouldRejectADuplicateKeyAtTheTop() {
    assertRejected(VALID.replace("\"serial\": 7,", "\"serial\": 7, \"serial\": 99,"),
        "serial: the index is not valid strict JSON: Duplicate field 'serial'");
  }

  @Test
  void shouldRejectADuplicateKeyDeepInside() {
    assertRejected(VALID.replace("\"size\": 123,", "\"size\": 123, \"size\": 1,"),
        "releases[1].artifacts[0].size: the index is not valid strict JSON: Duplicate field 'size'");
  }

  @Test
  void shouldRejectADuplicateKeySpelledWithAnEscape() {
    assertRejected(VALID.replace("\"version\": \"1.1.0\",", "\"version\": \"1.1.0\", \"versi\\u006fn\": \"9.0.0\","),
        "Duplicate field 'version'");
  }

  @Test
  void shouldRejectADuplicateKeyInAnUnknownObject() {
    assertRejected(VALID.replace("\"serial\": 7,", "\"serial\": 7, \"extra\": {\"a\": 1, \"a\": 2},"),
        "extra.a: the index is not valid strict JSON: Duplicate field 'a'");
  }

  @Test
  void shouldRejectAByteOrderMark() {
    byte[] json = concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, VALID.getBytes(UTF_8));

    assertRejected(json, "the index starts with a UTF-8 byte-order mark");
  }

  @Test
  void shouldRejectAByteOrderMarkWrittenAsACharacterAfterWhitespace() {
    assertRejected(" \uFEFF" + VALID, "the index is not valid strict JSON");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"C3 28", "C0 AF", "ED A0 80", "F8 88 80 80 80", "FF", "E2 82"})
  void shouldRejectInvalidUtf8InsideAString(String hex) {
    byte[] json = VALID.replace("Faster search.", "@@").getBytes(UTF_8);
    int at = indexOf(json, "@@".getBytes(UTF_8));
    byte[] broken = concat(Arrays.copyOf(json, at), bytes(hex),
        Arrays.copyOfRange(json, at + 2, json.length));

    assertRejected(broken, "the index is not valid UTF-8");
  }

  @Test
  void shouldRejectUtf16EvenThoughJacksonCouldDetectIt() {
    assertRejected(VALID.getBytes(UTF_16BE), "the index is not valid strict JSON");
  }

  @Test
  void shouldRejectAnUnpairedSurrogateEscape() {
    assertRejected(VALID.replace("Faster search.", "bad \\ud800 half"),
        "releases[1].notes holds an unpaired UTF-16 surrogate \\ud800");
  }

  @ParameterizedTest(name = "trailing {0}")
  @ValueSource(strings = {"{}", "x", "]", "\"more\"", "7", "\u0000"})
  void shouldRejectContentAfterTheIndex(String trailing) {
    assertRejected(VALID + trailing, "the index is not valid strict JSON");
  }

  @Test
  void shouldAcceptTrailingWhitespace() throws Exception {
    assertThat(MetadataJson.read((VALID + " \r\n\t ").getBytes(UTF_8)).serial()).isEqualTo(7);
  }

  @ParameterizedTest(name = "serial {0}")
  @CsvSource(delimiter = '|', value = {
      "1e3                  | a number with a fraction or an exponent",
      "7.0                  | a number with a fraction or an exponent",
      "1.5                  | a number with a fraction or an exponent",
      "-1                   | the integer -1",
      "9223372036854775808  | the integer 9223372036854775808, outside the 64-bit range",
      "18446744073709551623 | the integer 18446744073709551623, outside the 64-bit range",
      "\"7\"                | the string '7'",
      "true                 | the boolean true",
      "null                 | null",
      "[7]                  | an array",
  })
  void shouldRejectASerialThatIsNotANonNegative64BitInteger(String serial, String found) {
    assertRejected(VALID.replace("\"serial\": 7", "\"serial\": " + serial),
        "serial must be a non-negative integer below 2^63, found " + found);
  }

  @ParameterizedTest(name = "size {0}")
  @ValueSource(strings = {"1e3", "-1", "9223372036854775808", "1.5", "\"123\""})
  void shouldRejectASizeThatIsNotANonNegative64BitInteger(String size) {
    assertRejected(VALID.replace("\"size\": 123", "\"size\": " + size),
        "releases[1].artifacts[0].size must be a non-negative integer below 2^63, found");
  }

  @Test
  void shouldAcceptTheLargestSerialAndSize() throws Exception {
    String json = VALID.replace("\"serial\": 7", "\"serial\": 9223372036854775807")
        .replace("\"size\": 123", "\"size\": 9223372036854775807");

    ReleaseIndex index = MetadataJson.read(json.getBytes(UTF_8));

    assertThat(index.serial()).isEqualTo(Long.MAX_VALUE);
    assertThat(index.releases().get(1).primaryArtifact().size()).isEqualTo(Long.MAX_VALUE);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"007", "+7", "NaN", "0x7", "'7'"})
  void shouldRejectNumbersOutsideStrictJsonSyntax(String serial) {
    assertRejected(VALID.replace("\"serial\": 7", "\"serial\": " + serial),
        "the index is not valid strict JSON");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {
      "// comment\n", "/* comment */", "'single': 1,", "unquoted: 1,", "\"trailing\": 1,,"})
  void shouldRejectJsonExtensions(String extra) {
    assertRejected(VALID.replaceFirst("\\{", "{" + extra), "the index is not valid strict JSON");
  }

  @Test
  void shouldRejectATrailingCommaInAnArray() {
    assertRejected(VALID.replace("[\"postgresql\"]", "[\"postgresql\",]"),
        "the index is not valid strict JSON");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {"", "   ", "[]", "null", "\"index\"", "7"})
  void shouldRejectADocumentThatIsNotAnObject(String json) {
    assertRejected(json, "the index must be a JSON object, found");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(strings = {
      "", "abc", SHA_B + "0", "z" + SHA_B, SHA_B + "\n",
      "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"})
  void shouldRejectASha256ThatIsNot64HexCharacters(String sha) {
    String json = edit("releases[1].artifacts[0].sha256", "\"" + sha.replace("\n", "\\n") + "\"");

    assertRejected(json, "releases[1].artifacts[0].sha256 must be 64 hexadecimal characters, "
        + "found '" + (sha.length() > 80 ? sha.substring(0, 80) + "..." : sha) + "'");
  }

  @Test
  void shouldShortenALongBadValueInTheMessage() {
    String json = edit("releases[1].artifacts[0].sha256", "\"" + "x".repeat(10_000) + "\"");

    assertThatThrownBy(() -> MetadataJson.read(json.getBytes(UTF_8)))
        .hasMessageEndingWith("found '" + "x".repeat(80) + "...'");
  }

  @Test
  void shouldAcceptAnUpperCaseSha256AndStoreItInLowerCase() throws Exception {
    String upper = "0123456789ABCDEF".repeat(4);

    ReleaseIndex index = MetadataJson.read(VALID.replace(SHA_B, upper).getBytes(UTF_8));

    assertThat(index.releases().get(1).primaryArtifact().sha256()).isEqualTo(SHA_B);
  }

  @Test
  void shouldRejectAVersionThatIsNotASemanticVersion() {
    assertRejected(VALID.replace("\"1.1.0\"", "\"1.x\""),
        "releases[1].version '1.x' is not a Semantic Version (MAJOR.MINOR.PATCH[-PRE][+BUILD]): "
            + "it needs exactly MAJOR.MINOR.PATCH, found 2 part(s)");
  }

  @Test
  void shouldRejectABadUpgradesFromVersion() {
    assertRejected(VALID.replace("\"upgradesFrom\": \"1.0.0\"", "\"upgradesFrom\": \"01.0.0\""),
        "releases[1].requires.upgradesFrom '01.0.0' is not a Semantic Version");
  }

  @Test
  void shouldRejectAVersionListedTwice() {
    assertRejected(VALID.replace("\"1.1.0\"", "\"1.0.0+rebuilt\""),
        "releases[1].version '1.0.0+rebuilt' is listed twice, also at releases[0]");
  }

  @Test
  void shouldRejectAnArtifactNameListedTwiceInARelease() {
    String artifact = "{ \"name\": \"a.tar.gz\", \"size\": 1, \"sha256\": \"" + SHA_A
        + "\", \"url\": \"a\" }";
    String json = VALID.replaceFirst("\"artifacts\": \\[ \\{[^]]*]",
        "\"artifacts\": [ " + artifact + ", " + artifact + " ]");

    assertRejected(json, "releases[0].artifacts[1].name 'a.tar.gz' is listed twice, also at "
        + "releases[0].artifacts[0]");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"../evil.tar.gz", "dir/app.tar.gz", "dir\\\\app.tar.gz", "..", "."})
  void shouldRejectAnArtifactNameThatIsNotOneFileName(String name) {
    assertRejected(VALID.replace("\"myapp-1.1.0.tar.gz\"", "\"" + name + "\""),
        "releases[1].artifacts[0].name '");
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "application                          | 5           | application must be a string, found the integer 5",
      "application                          | \"\"        | application must not be empty",
      "channel                              | \"../x\"    | channel '../x' is not a channel name",
      "channel                              | \"Stable!\" | channel 'Stable!' is not a channel name",
      "expires                              | \"tomorrow\" | expires 'tomorrow' is not an ISO-8601 instant",
      "expires                              | null        | expires must be a string, found null",
      "expires                              | 1796083200  | expires must be a string, found the integer 1796083200",
      "releases[1].publishedAt              | \"2026-11-20\" | releases[1].publishedAt '2026-11-20' is not an ISO-8601 instant",
      "releases[1].notes                    | [\"a\"]     | releases[1].notes must be a string, found an array",
      "releases[1].notes                    | null        | releases[1].notes must be a string, found null",
      "releases[1].channel                  | \"\"        | releases[1].channel '' is not a channel name",
      "releases[1].version                  | 1.1         | releases[1].version must be a string, found a number",
      "releases[1].requires                 | []          | releases[1].requires must be an object, found an array",
      "releases[1].requires.databaseProviders | \"pg\"    | releases[1].requires.databaseProviders must be an array of strings, found the string 'pg'",
      "releases[1].requires.databaseProviders | [1]       | releases[1].requires.databaseProviders[0] must be a string, found the integer 1",
      "releases[1].requires.databaseProviders | [\"\"]    | releases[1].requires.databaseProviders[0] must not be empty",
      "releases[1].requires.upgradesFrom    | 100         | releases[1].requires.upgradesFrom must be a string, found the integer 100",
      "releases[1].artifacts                | {}          | releases[1].artifacts must be an array, found an object",
      "releases[1].artifacts[0].name        | true        | releases[1].artifacts[0].name must be a string, found the boolean true",
      "releases[1].artifacts[0].url         | \"\"        | releases[1].artifacts[0].url must not be empty",
      "releases[1].artifacts[0].sha256      | 1234        | releases[1].artifacts[0].sha256 must be a string, found the integer 1234",
  })
  void shouldRejectAFieldOfTheWrongTypeOrShape(String path, String json, String message) {
    assertRejected(edit(path, json), message);
  }

  @Test
  void shouldRejectReleasesThatAreNotAnArrayOfObjects() {
    String head = "{\"application\":\"a\",\"channel\":\"c\",\"serial\":1,\"releases\":";

    assertRejected(head + "{}}", "releases must be an array, found an object");
    assertRejected(head + "[\"1.0.0\"]}", "releases[0] must be an object, found the string '1.0.0'");
    assertRejected(head + "[{\"version\":\"1.0.0\",\"artifacts\":[7]}]}",
        "releases[0].artifacts[0] must be an object, found the integer 7");
  }

  @Test
  void shouldRejectAnIndexLargerThanTheCap() {
    byte[] json = new byte[MetadataJson.MAX_INDEX_BYTES + 1];
    Arrays.fill(json, (byte) ' ');

    assertRejected(json, "the index is " + (MetadataJson.MAX_INDEX_BYTES + 1)
        + " bytes, more than the " + MetadataJson.MAX_INDEX_BYTES + " accepted");
  }

  @Test
  void shouldAcceptTheChannelNamesThatAreSafeFileNames() {
    assertThat(List.of("stable", "beta", "1.x", "lts_2026", "nightly-arm64", "A"))
        .allMatch(MetadataJson::isChannelName);
    assertThat(List.of("", ".", "..", ".hidden", "-x", "_x", "a/b", "a\\b", "a b", "é", "a:b"))
        .noneMatch(MetadataJson::isChannelName);
  }

  // ---------------------------------------------------------------------------------------------

  private static ReleaseIndex fullIndex() {
    Release rc = new Release(
        Version.parse("2.0.0-rc.1+build.5"), "beta",
        List.of(
            new Artifact("myapp-2.0.0.tar.gz", 0, SHA_A, "releases/2.0.0/myapp-2.0.0.tar.gz"),
            new Artifact("myapp-2.0.0.zip", 5_000_000_000L, SHA_B,
                "https://cdn.example.com/myapp-2.0.0.zip")),
        new Requirements(Set.of("PostgreSQL", "h2"), Optional.of(Version.parse("1.4.0"))),
        "Line one.\nQuotes \"and\" ünïcödé ✓.",
        Optional.of(Instant.parse("2026-11-20T10:00:00Z")));
    Release stable = Release.of(Version.parse("1.4.0"), "stable",
        new Artifact("myapp-1.4.0.tar.gz", 1, SHA_A, "releases/1.4.0/myapp-1.4.0.tar.gz"));
    return new ReleaseIndex("myapp", "beta", Long.MAX_VALUE,
        Optional.of(Instant.parse("2026-12-01T00:00:00.5Z")), List.of(rc, stable));
  }

  /**
   * The valid index with the value at {@code path} (such as {@code releases[1].artifacts[0].size})
   * replaced by the JSON {@code value}, or removed when {@code value} is null. The test builds its
   * input with a plain Jackson mapper; only the code under test has to be strict.
   */
  private static String edit(String path, String value) {
    try {
      ObjectMapper plain = new ObjectMapper();
      JsonNode root = plain.readTree(VALID);
      String[] segments = path.split("\\.");
      JsonNode parent = root;
      for (int i = 0; i < segments.length - 1; i++) {
        parent = step(parent, segments[i]);
      }
      String last = segments[segments.length - 1];
      if (value == null) {
        ((ObjectNode) parent).remove(last);
      } else {
        ((ObjectNode) parent).set(last, plain.readTree(value));
      }
      return plain.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new AssertionError(e);
    }
  }

  private static JsonNode step(JsonNode node, String segment) {
    int bracket = segment.indexOf('[');
    if (bracket < 0) {
      return node.get(segment);
    }
    int index = Integer.parseInt(segment.substring(bracket + 1, segment.length() - 1));
    return node.get(segment.substring(0, bracket)).get(index);
  }

  private static void assertRejected(String json, String message) {
    assertRejected(json.getBytes(UTF_8), message);
  }

  private static void assertRejected(byte[] json, String message) {
    assertThatThrownBy(() -> MetadataJson.read(json))
        .isInstanceOf(VerificationException.class)
        .hasMessageContaining(message);
  }

  private static byte[] bytes(String hex) {
    String[] parts = hex.split(" ");
    byte[] out = new byte[parts.length];
    for (int i = 0; i < parts.length; i++) {
      out[i] = (byte) Integer.parseInt(parts[i], 16);
    }
    return out;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("not found");
  }
}
