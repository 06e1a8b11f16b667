package dev.updater.snippets.pages;

import static org.assertj.core.api.Assertions.assertThat;

import dev.updater.core.spi.ReleaseSourceProvider;
import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The port's shape shown in docs/spi.md is the real one. */
class ShownTypesTest {

  @Test
  void theShownProviderInterfaceHasTheRealAbstractMethods() {
    assertThat(abstractMethods(SpiSnippets.Shown.ReleaseSourceProvider.class))
        .isEqualTo(abstractMethods(ReleaseSourceProvider.class));
  }

  @Test
  void theShownRequestHasTheRealComponents() {
    assertThat(components(SpiSnippets.Shown.ReleaseSourceProvider.Request.class))
        .isEqualTo(components(ReleaseSourceProvider.Request.class));
  }

  private static List<String> abstractMethods(Class<?> type) {
    return Arrays.stream(type.getDeclaredMethods())
        .filter(m -> java.lang.reflect.Modifier.isAbstract(m.getModifiers()))
        .map(ShownTypesTest::signature).sorted().toList();
  }

  private static String signature(Method m) {
    return simple(m.getGenericReturnType()) + " " + m.getName() + Arrays.stream(
        m.getGenericParameterTypes()).map(ShownTypesTest::simple).toList();
  }

  private static List<String> components(Class<?> record) {
    return Arrays.stream(record.getRecordComponents())
        .map(c -> simple(c.getGenericType()) + " " + c.getName()).toList();
  }

  /** A type's name without packages and outer classes, as the page writes it. */
  private static String simple(Type type) {
    return type.getTypeName().replaceAll("[a-zA-Z0-9_.]*[.$]", "");
  }
}
