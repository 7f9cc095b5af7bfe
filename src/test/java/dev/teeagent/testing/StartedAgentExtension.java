package dev.teeagent.testing;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;

/**
 * Fills the {@link StartedAgent} fields. Each agent is kept in the store of the context it serves
 * (the class's or the test's), which closes it when that context ends, after the test class's own
 * {@code @AfterAll} or {@code @AfterEach} methods, so that those may still use it.
 */
final class StartedAgentExtension implements BeforeAllCallback, BeforeEachCallback {
  private static final ExtensionContext.Namespace AGENTS =
      ExtensionContext.Namespace.create(StartedAgentExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) throws IllegalAccessException {
    fill(context, null);
  }

  @Override
  public void beforeEach(ExtensionContext context) throws IllegalAccessException {
    fill(context, context.getRequiredTestInstance());
  }

  /** Static fields when {@code instance} is null, else the instance's own fields. */
  private static void fill(ExtensionContext context, Object instance)
      throws IllegalAccessException {
    boolean statics = instance == null;
    for (Field field :
        AnnotationSupport.findAnnotatedFields(
            context.getRequiredTestClass(),
            StartedAgent.class,
            candidate -> Modifier.isStatic(candidate.getModifiers()) == statics,
            HierarchyTraversalMode.TOP_DOWN)) {
      if (field.getType() != TestAgent.class || Modifier.isFinal(field.getModifiers())) {
        throw new ExtensionConfigurationException(
            "@StartedAgent goes on a non-final TestAgent field, not on " + field);
      }
      TestAgent agent = TestAgent.start();
      context.getStore(AGENTS).put(field, agent);
      field.setAccessible(true);
      field.set(instance, agent);
    }
  }
}
