/**
 * Signatures over the published index and key management: {@link
 * dev.updater.core.trust.TrustedKeys} holds the Ed25519 public keys an install trusts and verifies
 * a minisign signature with them; {@link dev.updater.core.trust.TrustRoot} is the alternative, an
 * offline root key from which an install follows the repository's signed {@link
 * dev.updater.core.trust.KeyList}s (rotations, revocations, thresholds, timestamps); {@link
 * dev.updater.core.trust.SigningKey} is the publisher's side, which makes keys and signs. Both use minisign's formats, so {@code minisign -S} and
 * {@code minisign -V} work with them too; the minisign workings are package-private here.
 *
 * <pre>{@code
 * TrustedKeys keys = TrustedKeys.read(Path.of("/etc/myapp/updates.pub"));
 * String trustedComment = keys.verify(indexBytes, Files.readString(signatureFile));
 * }</pre>
 *
 * <p>Freshness (an index's serial and expiry) is checked by the engine after the signature; see
 * {@code docs/signing.md}.
 */
package dev.updater.core.trust;
