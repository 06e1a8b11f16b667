package dev.updater.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReadAheadInputStreamTest {
  private static byte[] bytes(int n) {
    byte[] data = new byte[n];
    new Random(n).nextBytes(data);
    return data;
  }

  @Test
  void shouldReturnEveryByteInOrderAcrossManyBuffers() throws IOException {
    byte[] data = bytes(10_000 + 7);
    try (ReadAheadInputStream in = new ReadAheadInputStream(new ByteArrayInputStream(data), 64, 2,
        "test")) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[100]; // reads that straddle the buffers of 64
      int n;
      while ((n = in.read(buf)) != -1) {
        out.write(buf, 0, n);
      }
      assertThat(out.toByteArray()).isEqualTo(data);
      assertThat(in.read()).isEqualTo(-1);
    }
  }

  @Test
  void shouldEndAtOnceOnAnEmptySourceAndOnASourceOfExactlyOneBuffer() throws IOException {
    try (InputStream in = new ReadAheadInputStream(InputStream.nullInputStream(), 64, 2, "t")) {
      assertThat(in.read()).isEqualTo(-1);
    }
    byte[] data = bytes(64);
    try (InputStream in = new ReadAheadInputStream(new ByteArrayInputStream(data), 64, 2, "t")) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
  }

  @Test
  void shouldThrowTheSourceFailureAfterTheBytesBeforeIt() throws IOException {
    byte[] data = bytes(300);
    IOException corrupt = new IOException("invalid stored block lengths");
    InputStream failing = new InputStream() {
      private int i;

      @Override
      public int read() throws IOException {
        if (i == data.length) {
          throw corrupt;
        }
        return data[i++] & 0xff;
      }
    };
    try (InputStream in = new ReadAheadInputStream(failing, 64, 2, "t")) {
      byte[] first = in.readNBytes(256); // four whole buffers arrive before the failure
      assertThat(first).isEqualTo(java.util.Arrays.copyOf(data, 256));
      assertThatThrownBy(in::readAllBytes).isSameAs(corrupt);
    }
  }

  @Test
  void shouldStopReadingAheadWhenClosedBeforeTheEnd() throws IOException {
    InputStream endless = new InputStream() {
      @Override
      public int read() {
        return 1;
      }
    };
    ReadAheadInputStream in = new ReadAheadInputStream(endless, 64, 2, "t");
    assertThat(in.read()).isEqualTo(1);

    in.close();

    assertThat(in.reading()).isFalse();
    assertThatThrownBy(in::read).isInstanceOf(IOException.class).hasMessageContaining("closed");
  }
}
