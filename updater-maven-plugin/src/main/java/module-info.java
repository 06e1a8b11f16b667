/**
 * The updater's Maven plugin: the goals {@code publish}, {@code keygen} and {@code verify}, which
 * publish a build's release into a signed static update repository and check that repository
 * before it is uploaded. Maven loads plugins on the class path; this descriptor states what the
 * plugin reads, and exports nothing: its goals are called by Maven, never by code.
 */
module dev.updater.maven {
  requires dev.updater.core;
  requires maven.plugin.api;
  requires static maven.plugin.annotations;
}
