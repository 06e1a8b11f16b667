package dev.updater.compose;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

/**
 * A stand-in {@code docker} command put first on the activator's PATH (before any real client,
 * such as {@code /usr/local/bin/docker}), modelling the part of Docker Compose the activator
 * relies on, with its state in files: {@code registry} lists the images a pull can fetch ({@code
 * manifest unknown} otherwise), {@code unhealthy} the images whose containers fail their health
 * check, {@code slow} those that report {@code starting} once before {@code healthy}; {@code up}
 * starts one container per service of the Compose file (refusing images not pulled) and removes
 * the containers of services the file no longer has ({@code --remove-orphans}); {@code ps --format
 * json} prints one JSON object per container; {@code down} removes them all; every call is
 * appended to {@code calls.log}.
 */
final class ComposeStandIn {
  static final String SCRIPT = """
      #!/bin/sh
      state="$COMPOSE_STANDIN_STATE"
      echo "$*" >> "$state/calls.log"
      [ "$1" = compose ] || { echo "stand-in docker: only compose is modelled" >&2; exit 1; }
      shift
      project=""; file=""
      while [ $# -gt 0 ]; do
        case "$1" in
          --project-name|-p) project="$2"; shift 2 ;;
          --file|-f) file="$2"; shift 2 ;;
          *) break ;;
        esac
      done
      cmd="$1"; [ $# -gt 0 ] && shift
      listed() { # listed FILE LINE: whether FILE has the line LINE (shell built-ins only)
        [ -f "$1" ] || return 1
        while IFS= read -r l; do [ "$l" = "$2" ] && return 0; done < "$1"
        return 1
      }
      services() {
        awk '/^services:/{s=1;next} s&&/^[^ ]/{s=0}
             s&&/^  [A-Za-z0-9_.-]+:/{name=$1; sub(":","",name)}
             s&&/^    image:/{print name, $2}' "$file"
      }
      case "$cmd" in
        version) echo "Docker Compose version v2.99.0-standin" ;;
        pull)
          services > "$state/.services"
          while read -r name image; do
            listed "$state/registry" "$image" || {
              echo "Error response from daemon: manifest for $image not found: manifest unknown" >&2
              exit 1; }
            echo "$image" >> "$state/pulled"
            echo " $name Pulled"
          done < "$state/.services" ;;
        up)
          services > "$state/.services"
          mkdir -p "$state/containers"
          for c in "$state/containers"/*; do
            [ -e "$c" ] || continue
            n="${c##*/}"; keep=no
            while read -r name image; do [ "$name" = "$n" ] && keep=yes; done < "$state/.services"
            if [ $keep = no ]; then rm -f "$c"; echo " Container $project-$n-1 Removed"; fi
          done
          while read -r name image; do
            listed "$state/pulled" "$image" || { echo "image $image was not pulled" >&2; exit 1; }
            health=healthy
            listed "$state/slow" "$image" && health=starting
            listed "$state/unhealthy" "$image" && health=unhealthy
            printf '%s %s\\n' "$image" "$health" > "$state/containers/$name"
            echo " Container $project-$name-1 Started"
          done < "$state/.services" ;;
        ps)
          for c in "$state/containers"/*; do
            [ -e "$c" ] || continue
            n="${c##*/}"
            read -r image health < "$c"
            printf '{"Name":"%s-%s-1","Service":"%s","Image":"%s","State":"running","Health":"%s"}\\n' \\
              "$project" "$n" "$n" "$image" "$health"
            if [ "$health" = starting ]; then printf '%s healthy\\n' "$image" > "$c"; fi
          done ;;
        down) rm -rf "$state/containers" ;;
        *) echo "stand-in docker: compose $cmd is not modelled" >&2; exit 1 ;;
      esac
      exit 0
      """;

  final Path bin;
  final Path state;

  private ComposeStandIn(Path bin, Path state) {
    this.bin = bin;
    this.state = state;
  }

  /** Writes the stand-in under {@code root}; nothing is in its registry yet. */
  static ComposeStandIn create(Path root) throws IOException {
    Path bin = Files.createDirectories(root.resolve("bin"));
    Path state = Files.createDirectories(root.resolve("docker-state"));
    Path docker = Files.writeString(bin.resolve("docker"), SCRIPT);
    Files.setPosixFilePermissions(docker, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.writeString(state.resolve("registry"), "");
    return new ComposeStandIn(bin, state);
  }

  /**
   * The environment for the activator: the stand-in first on the PATH, before {@code
   * /usr/local/bin} (where a real client may be) and the system's tools.
   */
  Map<String, String> environment() {
    return Map.of("PATH", bin + ":/usr/local/bin:/usr/bin:/bin", "COMPOSE_STANDIN_STATE",
        state.toString());
  }

  /** Makes {@code image} pullable. */
  ComposeStandIn publish(String image) throws IOException {
    Files.writeString(state.resolve("registry"), image + "\n",
        java.nio.file.StandardOpenOption.APPEND);
    return this;
  }

  /** Lists {@code image} in the state file {@code list} ({@code unhealthy}, {@code slow}). */
  ComposeStandIn mark(String list, String image) throws IOException {
    Files.writeString(state.resolve(list), image + "\n", java.nio.file.StandardOpenOption.CREATE,
        java.nio.file.StandardOpenOption.APPEND);
    return this;
  }

  /** The image each running container runs, by service. */
  Map<String, String> containers() throws IOException {
    Map<String, String> running = new java.util.TreeMap<>();
    Path dir = state.resolve("containers");
    if (!Files.isDirectory(dir)) {
      return running;
    }
    try (var files = Files.list(dir)) {
      for (Path c : files.toList()) {
        running.put(c.getFileName().toString(), Files.readString(c).split(" ")[0]);
      }
    }
    return running;
  }

  /** The calls made so far, one line each (the arguments after {@code docker}). */
  List<String> calls() throws IOException {
    Path log = state.resolve("calls.log");
    return Files.exists(log) ? Files.readAllLines(log) : List.of();
  }

  /** An image reference pinned by a digest made from {@code seed}. */
  static String image(String name, String seed) {
    String hex = String.format("%064x", new java.math.BigInteger(1,
        seed.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    return "registry.example.com/" + name + "@sha256:" + hex.substring(hex.length() - 64);
  }

  /** A Compose file running {@code images} (service to image). */
  static String composeFile(Map<String, String> images) {
    StringBuilder b = new StringBuilder("services:\n");
    images.forEach((service, image) -> b.append("  ").append(service).append(":\n")
        .append("    image: ").append(image).append("\n")
        .append("    restart: unless-stopped\n"));
    return b.toString();
  }
}
