package dev.updater.cli;

import dev.updater.core.source.SourceSettings;
import dev.updater.core.trust.TrustRoot;
import dev.updater.core.trust.TrustedKeys;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the home-based commands trust, from {@code --trust} (the publishing keys themselves),
 * {@code --trust-root} with {@code --root-threshold} (root keys the repository's signed key lists
 * lead from) or {@code --unsigned}; at most one of them, else the settings remembered in the home.
 *
 * @param files the key files used (remembered after a verified read)
 * @param rootThreshold 0 for publishing keys, else the root threshold
 * @param keys the publishing keys, when {@code --trust} (or the remembered settings) gave them
 * @param root the trust root, when {@code --trust-root} (or the remembered settings) gave it
 */
record SourceTrust(List<Path> files, int rootThreshold, Optional<TrustedKeys> keys,
    Optional<TrustRoot> root) {

  static final String HELP = String.join("\n",
      "  --trust PUBFILE   a publisher's public key (from 'updater keygen' or minisign -G); the",
      "                    channel index must be signed by it. Repeat to trust several keys",
      "  --trust-root PUBFILE  a root public key: the repository's signed key lists (keys/N.json,",
      "                    'updater keys init') are followed from it, so key rotations and",
      "                    revocations need no reconfiguration. Repeat for several root keys",
      "  --root-threshold N  how many --trust-root keys must sign the first key list (default 1)",
      "  --unsigned        accept an index without checking its signature (a trusted directory",
      "                    only); needed when no --trust or --trust-root is given");

  /**
   * Reads the trust options, falling back to {@code stored} when none is given.
   *
   * @throws CliException a usage error for contradicting or missing options, a bad argument for a
   *     key file that cannot be used
   */
  static SourceTrust of(Args args, Optional<SourceSettings> stored) throws CliException {
    List<String> trust = args.values("--trust");
    List<String> roots = args.values("--trust-root");
    boolean unsigned = args.flag("--unsigned");
    int given = (trust.isEmpty() ? 0 : 1) + (roots.isEmpty() ? 0 : 1) + (unsigned ? 1 : 0);
    if (given > 1) {
      throw CliException.usage("--trust, --trust-root and --unsigned contradict each other: "
          + "--trust names the publishing keys themselves, --trust-root the root keys the "
          + "repository's key lists lead from; give one");
    }
    Optional<String> thresholdText = args.value("--root-threshold");
    if (thresholdText.isPresent() && roots.isEmpty()) {
      throw CliException.usage("--root-threshold goes with --trust-root: it says how many of the "
          + "root keys must sign");
    }
    if (unsigned) {
      return new SourceTrust(List.of(), 0, Optional.empty(), Optional.empty());
    }
    List<Path> files = new ArrayList<>();
    int threshold = 0;
    if (!trust.isEmpty() || !roots.isEmpty()) {
      for (String t : trust.isEmpty() ? roots : trust) {
        files.add(Installs.path(t, trust.isEmpty() ? "--trust-root" : "--trust"));
      }
      threshold = roots.isEmpty() ? 0 : threshold(thresholdText, files.size());
    } else if (stored.isPresent() && !stored.get().trustedKeys().isEmpty()) {
      files.addAll(stored.get().trustedKeys());
      threshold = stored.get().rootThreshold();
    } else {
      throw CliException.usage("missing --trust PUBFILE: give the publisher's public key so the "
          + "index signature is checked, --trust-root PUBFILE to follow the repository's key "
          + "lists from its root key, or --unsigned to trust the source as it is");
    }
    return read(files, threshold);
  }

  private static int threshold(Optional<String> text, int keys) throws CliException {
    if (text.isEmpty()) {
      return 1;
    }
    int n;
    try {
      n = Integer.parseInt(text.get());
    } catch (NumberFormatException e) {
      n = 0;
    }
    if (n < 1 || n > keys) {
      throw CliException.usage("--root-threshold " + text.get() + " must be a number from 1 to "
          + "the number of --trust-root keys (" + keys + ")");
    }
    return n;
  }

  private static SourceTrust read(List<Path> files, int threshold) throws CliException {
    String option = threshold > 0 ? "--trust-root" : "--trust";
    try {
      TrustedKeys keys = TrustedKeys.read(files.toArray(Path[]::new));
      return threshold > 0
          ? new SourceTrust(files, threshold, Optional.empty(),
              Optional.of(TrustRoot.of(keys, threshold)))
          : new SourceTrust(files, 0, Optional.of(keys), Optional.empty());
    } catch (NoSuchFileException e) {
      throw CliException.badArgument(option + " " + e.getFile() + " does not exist; give the "
          + ".pub file written by 'updater keygen' (or minisign -G)", e);
    } catch (IOException e) {
      throw CliException.badArgument("cannot read the " + option + " file: " + e, e);
    } catch (IllegalArgumentException e) {
      throw CliException.badArgument(option + ": " + e.getMessage() + "; give the .pub file "
          + "written by 'updater keygen' (or minisign -G), not the secret key", e);
    }
  }

  /** The settings to remember for {@code base}: these files, as publishing or root keys. */
  SourceSettings settings(SourceSettings base) {
    return rootThreshold > 0 ? base.withTrustRoot(files, rootThreshold)
        : base.withTrustedKeys(files);
  }
}
