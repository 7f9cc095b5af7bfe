package dev.teeagent.testing;

import dev.teeagent.config.PromptSettings;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real agent and one {@link FakeLlmProvider} for a test class, the agent configured to call the
 * provider through the real signed {@code POST /variables}; the provider forgets its stubs and
 * requests before each test:
 *
 * <pre>
 *   &#64;RegisterExtension static final AgentWithProvider llm = new AgentWithProvider();
 * </pre>
 */
public final class AgentWithProvider
    implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback {
  private final PromptSettings settings;
  private FakeLlmProvider provider;
  private TestAgent agent;

  public AgentWithProvider() {
    this(PromptSettings.defaults());
  }

  public AgentWithProvider(PromptSettings settings) {
    this.settings = settings;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    provider = FakeLlmProvider.start();
    agent = TestAgent.start(settings);
    provider.configure(agent);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    provider.reset();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    agent.close();
    provider.close();
  }

  public FakeLlmProvider provider() {
    return provider;
  }

  public TestAgent agent() {
    return agent;
  }
}
