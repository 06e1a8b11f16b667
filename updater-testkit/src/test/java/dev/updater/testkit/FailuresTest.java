package dev.updater.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class FailuresTest {
  private final Failures<IOException> failures = Failures.create();

  @Test
  void callsSucceedWhenNothingIsScheduled() throws IOException {
    assertThat(failures.call()).isEqualTo(1);
    assertThat(failures.call()).isEqualTo(2);
    assertThat(failures.calls()).isEqualTo(2);
  }

  @Test
  void onlyTheScheduledCallFails() throws IOException {
    IOException boom = new IOException("boom");
    failures.failOnCall(2, boom);

    failures.call();
    assertThatThrownBy(failures::call).isSameAs(boom);
    assertThat(failures.call()).isEqualTo(3);
    assertThat(failures.calls()).isEqualTo(3);
  }

  @Test
  void everyCallFromTheScheduledOneFails() throws IOException {
    IOException down = new IOException("down");
    failures.failFromCall(2, down);

    failures.call();
    assertThatThrownBy(failures::call).isSameAs(down);
    assertThatThrownBy(failures::call).isSameAs(down);
  }

  @Test
  void aSingleCallFailureWinsOverARange() {
    IOException single = new IOException("single");
    IOException range = new IOException("range");
    failures.failFromCall(1, range).failOnCall(2, single);

    assertThatThrownBy(failures::call).isSameAs(range);
    assertThatThrownBy(failures::call).isSameAs(single);
    assertThatThrownBy(failures::call).isSameAs(range);
  }

  @Test
  void refusesCallNumbersBelowOne() {
    assertThatThrownBy(() -> failures.failOnCall(0, new IOException()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("numbered from 1");
  }

  @Test
  void refusesToScheduleACallThatAlreadyHappened() throws IOException {
    failures.call();

    assertThatThrownBy(() -> failures.failOnCall(1, new IOException()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already happened");
  }

  @Test
  void concurrentCallsGetDistinctNumbersAndExactlyOneGetsTheFailure() throws Exception {
    failures.failOnCall(50, new IOException("fiftieth"));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<Integer>> results = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      results.add(pool.submit(() -> {
        try {
          return failures.call();
        } catch (IOException e) {
          return -1;
        }
      }));
    }
    List<Integer> numbers = new ArrayList<>();
    for (Future<Integer> r : results) {
      numbers.add(r.get());
    }
    pool.shutdown();

    assertThat(numbers).doesNotHaveDuplicates().contains(-1).doesNotContain(50).hasSize(100);
    assertThat(failures.calls()).isEqualTo(100);
  }
}
