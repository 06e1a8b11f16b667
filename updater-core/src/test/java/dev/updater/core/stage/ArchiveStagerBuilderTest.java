package dev.updater.core.stage;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

class ArchiveStagerBuilderTest {

  @Test
  void shouldRejectCapsThatAreNotPositive() {
    assertThatThrownBy(() -> ArchiveStager.builder().maxEntries(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxEntries");
    assertThatThrownBy(() -> ArchiveStager.builder().maxTotalBytes(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxTotalBytes");
    assertThatThrownBy(() -> ArchiveStager.builder().maxDepth(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxDepth");
    assertThatThrownBy(() -> ArchiveStager.builder().maxPathLength(-5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxPathLength");
  }

  @Test
  void shouldBuildWithCustomCaps() {
    assertThatCode(() -> ArchiveStager.builder().maxEntries(1).maxTotalBytes(1).maxDepth(1)
        .maxPathLength(1).build()).doesNotThrowAnyException();
  }

  @Test
  void shouldRejectNullArguments() {
    assertThatThrownBy(() -> ArchiveStager.defaults().stage(null, null, null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("file");
  }
}
