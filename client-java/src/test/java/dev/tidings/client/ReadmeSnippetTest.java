package dev.tidings.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/** The README's SDK example is the code that {@link ReadmeExampleIT} runs, line for line. */
class ReadmeSnippetTest {

    @Test
    void theReadmeShowsTheExampleThatIsTested() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"), StandardCharsets.UTF_8);
        String test = Files.readString(Path.of("src/test/java/dev/tidings/client/ReadmeExampleIT.java"),
                StandardCharsets.UTF_8);
        String tested = test.substring(test.indexOf("// README:start") + "// README:start".length(),
                test.indexOf("// README:end"));
        List<String> expected = normalize(tested);
        assertThat(expected).hasSizeGreaterThan(20);

        String section = readme.substring(readme.indexOf("## Java SDK"));
        String example = section.substring(section.indexOf("```java") + "```java".length());
        example = example.substring(0, example.indexOf("```"));
        List<String> shown = normalize(example);
        assertThat(String.join("\n", shown)).contains(String.join("\n", expected));
    }

    private static List<String> normalize(String code) {
        return code.lines().map(String::strip).filter(line -> !line.isEmpty()).collect(Collectors.toList());
    }
}
