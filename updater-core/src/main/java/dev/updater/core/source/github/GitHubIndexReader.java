package dev.updater.core.source.github;

import dev.updater.core.internal.format.IndexReader;
import dev.updater.core.internal.http.HttpTransport;
import dev.updater.core.Artifact;
import dev.updater.core.Platform;
import dev.updater.core.Release;
import dev.updater.core.ReleaseIndex;
import dev.updater.core.Requirements;
import dev.updater.core.trust.TrustedKeys;
import dev.updater.core.Version;
import dev.updater.core.source.github.GitHubRelease.Asset;
import dev.updater.core.spi.VerificationException;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a {@link ReleaseIndex} from a GitHub repository's releases list and the {@code
 * SHA256SUMS} files of its newest releases: the work behind {@link
 * dev.updater.core.source.github.GitHubReleaseSource#index}. Not API.
 *
 * <p>In order: the list is fetched (one API request, at most {@link #MAX_LIST_BYTES}) and parsed;
 * drafts, tags that are not semantic versions, releases off the channel, and versions that two
 * releases claim are dropped; so are releases without the installable asset or the checksum file
 * (INFO). Of the rest, the newest {@code maxReleases} by version have their checksum file fetched
 * (one download each, which does not count against the API rate limit), its signature checked
 * when keys are trusted, and the asset's digest read from it; a release whose checksum file has no
 * entry for the asset is dropped (INFO).
 *
 * <pre>{@code
 * ReleaseIndex index = new GitHubIndexReader(settings, api, downloads).read("stable");
 * }</pre>
 *
 * <p>Immutable and thread-safe: every call makes its own requests.
 */
final class GitHubIndexReader {
  private static final Logger LOG = LoggerFactory.getLogger(GitHubIndexReader.class);

  /** The largest releases list read, 16 MiB (100 releases with long notes). */
  public static final int MAX_LIST_BYTES = 16 << 20;

  /** The channels a GitHub repository has. */
  public static final List<String> CHANNELS = List.of("stable", "beta");

  /**
   * What to read.
   *
   * @param repository {@code owner/repo}
   * @param listUri the releases list, with {@code per_page=100}
   * @param assetPattern the asset to install, {@code {version}} standing for the tag without v,
   *     {@code {os}} and {@code {arch}} for the platform of each asset that matches
   * @param checksumsName the checksum file's asset name
   * @param keys the keys that must have signed the checksum file, if any
   * @param maxReleases how many releases, newest first, have their checksum file read
   */
  public record Settings(String repository, URI listUri, String assetPattern, String checksumsName,
      Optional<TrustedKeys> keys, int maxReleases) {}

  private final Settings settings;
  private final HttpTransport api;
  private final HttpTransport downloads;

  /**
   * A reader sending API requests through {@code api} (with the token, if any) and fetching
   * checksum files and signatures through {@code downloads} (without it).
   */
  public GitHubIndexReader(Settings settings, HttpTransport api, HttpTransport downloads) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.api = Objects.requireNonNull(api, "api");
    this.downloads = Objects.requireNonNull(downloads, "downloads");
  }

  /**
   * The releases of {@code channel}: {@code stable} lists releases that are not pre-releases,
   * {@code beta} lists pre-releases and stable releases.
   *
   * @throws NoSuchFileException when the channel is neither, or the repository is not found
   * @throws VerificationException when the list or a checksum file is malformed, or a checksum
   *     file's signature is not valid
   * @throws IOException when GitHub cannot be reached or keeps failing
   */
  public ReleaseIndex read(String channel) throws IOException {
    Objects.requireNonNull(channel, "channel");
    if (!CHANNELS.contains(channel)) {
      throw new NoSuchFileException(channel, null, "GitHub releases of " + settings.repository()
          + " have only the channels " + CHANNELS + ": 'stable' (releases) and 'beta' "
          + "(pre-releases and releases)");
    }
    String what = "the releases list of " + settings.repository();
    byte[] json = api.get(settings.listUri(), MAX_LIST_BYTES, what);
    List<GitHubRelease> listed;
    try {
      listed = GitHubRelease.parseList(json);
    } catch (VerificationException e) {
      throw new VerificationException(settings.listUri() + ": " + e.getMessage(), e);
    }
    List<Candidate> candidates = candidates(listed, channel);
    List<Release> releases = new ArrayList<>();
    for (int i = 0; i < candidates.size(); i++) {
      Candidate c = candidates.get(i);
      if (i >= settings.maxReleases()) {
        LOG.debug("Not reading the checksums of {} {}: only the newest {} releases are listed",
            settings.repository(), c.release.tag(), settings.maxReleases());
        continue;
      }
      release(c, channel).ifPresent(releases::add);
    }
    LOG.debug("Read {}: {} release(s) on channel {}", what, releases.size(), channel);
    return new ReleaseIndex(settings.repository(), channel, 0, Optional.empty(), releases);
  }

  /** The name of the asset to install from the release tagged {@code tag}. */
  public static String assetName(String pattern, String tag) {
    return pattern.replace("{version}", bare(tag));
  }

  private static String bare(String tag) {
    return tag.startsWith("v") || tag.startsWith("V") ? tag.substring(1) : tag;
  }

  /**
   * Refuses an asset pattern with a placeholder other than {@code {version}}, {@code {os}} and
   * {@code {arch}}, or with only one of the last two, or the two without a separator.
   */
  public static void checkPattern(String pattern) {
    String rest = pattern.replace("{version}", "").replace("{os}", "").replace("{arch}", "");
    if (rest.indexOf('{') >= 0 || rest.indexOf('}') >= 0) {
      throw new IllegalArgumentException("assetName '" + pattern + "' has a placeholder other "
          + "than {version}, {os} and {arch}, the ones there are");
    }
    if (pattern.contains("{os}") != pattern.contains("{arch}")
        || pattern.contains("{os}{arch}") || pattern.contains("{arch}{os}")) {
      throw new IllegalArgumentException("assetName '" + pattern + "' must hold both {os} and "
          + "{arch}, or neither, with a separator between them, such as "
          + "myapp-{version}-{os}-{arch}.tar.gz");
    }
  }

  /** Whether {@code pattern} names one asset per platform, with {@code {os}} and {@code {arch}}. */
  public static boolean perPlatform(String pattern) {
    return pattern.contains("{os}") || pattern.contains("{arch}");
  }

  /** An asset to install and the platform it is built for, when the pattern names one. */
  private record Match(Asset asset, Optional<Platform> platform) {}

  private record Candidate(GitHubRelease release, Version version, List<Match> assets,
      Asset checksums) {}

  /**
   * The assets of {@code r} the pattern names: the one asset of that name, or with {@code {os}}
   * and {@code {arch}} every asset that matches, its platform read from the name ({@code amd64}
   * is {@code x86_64}, {@code arm64} is {@code aarch64}, {@code macos} is {@code darwin}).
   */
  private List<Match> matches(GitHubRelease r) {
    String pattern = settings.assetPattern();
    if (!perPlatform(pattern)) {
      return r.asset(assetName(pattern, r.tag())).map(a -> List.of(new Match(a, Optional.empty())))
          .orElse(List.of());
    }
    StringBuilder regex = new StringBuilder();
    for (String part : pattern.split("(?=\\{)|(?<=\\})")) {
      switch (part) {
        case "{version}" -> regex.append(java.util.regex.Pattern.quote(bare(r.tag())));
        case "{os}" -> regex.append("(?<os>[A-Za-z0-9]+)");
        case "{arch}" -> regex.append("(?<arch>[A-Za-z0-9_]+)");
        default -> regex.append(java.util.regex.Pattern.quote(part));
      }
    }
    java.util.regex.Pattern compiled = java.util.regex.Pattern.compile(regex.toString());
    List<Match> found = new ArrayList<>();
    for (Asset asset : r.assets()) {
      java.util.regex.Matcher m = compiled.matcher(asset.name());
      if (m.matches()) {
        found.add(new Match(asset, Optional.of(Platform.fromProperties(m.group("os"),
            m.group("arch")))));
      }
    }
    return found;
  }

  private List<Candidate> candidates(List<GitHubRelease> listed, String channel) {
    Map<Version, Integer> claims = new HashMap<>();
    List<Candidate> candidates = new ArrayList<>();
    for (GitHubRelease r : listed) {
      if (r.draft()) {
        LOG.debug("Skipping draft {} of {}", r.tag(), settings.repository());
        continue;
      }
      Version version;
      try {
        version = Version.parse(r.tag());
      } catch (IllegalArgumentException e) {
        LOG.info("Skipping release {} of {}: its tag is not a semantic version vMAJOR.MINOR.PATCH",
            r.tag(), settings.repository());
        continue;
      }
      claims.merge(version, 1, Integer::sum);
      boolean pre = r.prerelease() || version.isPreRelease();
      if (pre && channel.equals("stable")) {
        continue;
      }
      List<Match> assets = matches(r);
      Optional<Asset> sums = r.asset(settings.checksumsName());
      if (assets.isEmpty() || sums.isEmpty()) {
        LOG.info("Skipping release {} of {}: it has no asset {}", r.tag(), settings.repository(),
            assets.isEmpty() ? assetName(settings.assetPattern(), r.tag())
                : settings.checksumsName());
        continue;
      }
      candidates.add(new Candidate(r, version, assets, sums.get()));
    }
    candidates.removeIf(c -> {
      boolean ambiguous = claims.get(c.version) > 1;
      if (ambiguous) {
        LOG.warn("Skipping release {} of {}: another release's tag is the same version {}",
            c.release.tag(), settings.repository(), c.version);
      }
      return ambiguous;
    });
    candidates.sort(Comparator.comparing(Candidate::version).reversed());
    return candidates;
  }

  private Optional<Release> release(Candidate c, String channel) throws IOException {
    String tag = c.release.tag();
    String where = settings.checksumsName() + " of " + settings.repository() + " " + tag;
    Optional<byte[]> bytes = fetch(c.checksums, ChecksumFile.MAX_BYTES, where);
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    if (settings.keys().isPresent() && !signed(c, bytes.get(), settings.keys().get(), where)) {
      return Optional.empty();
    }
    ChecksumFile sums;
    try {
      sums = ChecksumFile.parse(bytes.get());
    } catch (VerificationException e) {
      throw new VerificationException(where + " (" + c.checksums.downloadUrl() + "): "
          + e.getMessage(), e);
    }
    List<Artifact> artifacts = new ArrayList<>();
    for (Match match : c.assets) {
      Optional<String> sha256 = sums.sha256(match.asset().name());
      if (sha256.isEmpty()) {
        LOG.info("Skipping asset {} of {} {}: {} has no entry for it", match.asset().name(),
            settings.repository(), tag, settings.checksumsName());
        continue;
      }
      Artifact artifact = new Artifact(match.asset().name(), match.asset().size(), sha256.get(),
          match.asset().downloadUrl());
      artifacts.add(match.platform().map(artifact::withPlatform).orElse(artifact));
    }
    if (artifacts.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Release(c.version, channel, artifacts, Requirements.NONE,
        c.release.body(), c.release.publishedAt()));
  }

  /**
   * Whether the checksum file is signed: false (the release is skipped) when the release has no
   * signature asset; a signature that is there must be valid.
   */
  private boolean signed(Candidate c, byte[] checksums, TrustedKeys keys, String where)
      throws IOException {
    String signatureName = settings.checksumsName() + ".minisig";
    Optional<Asset> asset = c.release.asset(signatureName);
    Optional<byte[]> signature = asset.isEmpty() ? Optional.empty()
        : fetch(asset.get(), IndexReader.MAX_SIGNATURE_BYTES, signatureName + " of "
            + settings.repository() + " " + c.release.tag());
    if (signature.isEmpty()) {
      LOG.warn("Skipping release {} of {}: it has no {}, and this source accepts only checksum "
          + "files signed by {}", c.release.tag(), settings.repository(), signatureName,
          keys.keyIds());
      return false;
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(signature.get()))
          .toString();
    } catch (CharacterCodingException e) {
      throw new VerificationException(where + ": " + signatureName + " is not UTF-8 text");
    }
    try {
      String comment = keys.verify(checksums, text);
      LOG.debug("{} is signed; trusted comment: {}", where, comment);
      return true;
    } catch (VerificationException e) {
      throw new VerificationException(where + ": " + signatureName + ": " + e.getMessage(), e);
    } catch (RuntimeException e) { // fail closed, whatever went wrong
      throw new VerificationException(where + ": " + signatureName + ": the signature could not "
          + "be checked, so it is refused: " + e, e);
    }
  }

  /** An asset's bytes; empty (and logged) when it is listed but not there (404). */
  private Optional<byte[]> fetch(Asset asset, int cap, String what) throws IOException {
    Optional<byte[]> bytes = downloads.getOptional(URI.create(asset.downloadUrl()), cap, what);
    if (bytes.isEmpty()) {
      LOG.warn("Skipping the release: {} is listed but not found at {}", what,
          asset.downloadUrl());
    }
    return bytes;
  }
}
