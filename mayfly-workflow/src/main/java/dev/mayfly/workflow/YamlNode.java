package dev.mayfly.workflow;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A YAML document as a tree that remembers the line of every node, so that a mistake found after
 * parsing (an unknown agent, a cycle, a template naming a missing step) can still name its line.
 */
final class YamlNode {

    enum Kind { MAP, LIST, SCALAR }

    private static final YAMLFactory YAML = new YAMLFactory();

    final Kind kind;
    final int line;
    final Object scalar;
    final Map<String, YamlNode> map;
    final List<YamlNode> list;

    private YamlNode(Kind kind, int line, Object scalar, Map<String, YamlNode> map, List<YamlNode> list) {
        this.kind = kind;
        this.line = line;
        this.scalar = scalar;
        this.map = map;
        this.list = list;
    }

    static YamlNode parse(String source, String text) {
        try (JsonParser parser = YAML.createParser(text)) {
            if (parser.nextToken() == null) {
                throw new WorkflowError(source, 1, "the file is empty");
            }
            return read(parser);
        } catch (IOException e) {
            int line = e instanceof com.fasterxml.jackson.core.JsonProcessingException
                    && ((com.fasterxml.jackson.core.JsonProcessingException) e).getLocation() != null
                    ? ((com.fasterxml.jackson.core.JsonProcessingException) e).getLocation().getLineNr() : 0;
            throw new WorkflowError(source, line, "not valid YAML: " + e.getMessage().split("\n")[0]);
        }
    }

    private static YamlNode read(JsonParser parser) throws IOException {
        int line = parser.currentTokenLocation().getLineNr();
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT) {
            Map<String, YamlNode> map = new LinkedHashMap<>();
            while (parser.nextToken() != JsonToken.END_OBJECT) {
                String name = parser.currentName();
                parser.nextToken();
                map.put(name, read(parser));
            }
            return new YamlNode(Kind.MAP, line, null, map, null);
        }
        if (token == JsonToken.START_ARRAY) {
            List<YamlNode> list = new ArrayList<>();
            while (parser.nextToken() != JsonToken.END_ARRAY) {
                list.add(read(parser));
            }
            return new YamlNode(Kind.LIST, line, null, null, list);
        }
        Object value;
        switch (token) {
            case VALUE_NUMBER_INT:
                value = parser.getLongValue();
                break;
            case VALUE_NUMBER_FLOAT:
                value = parser.getDoubleValue();
                break;
            case VALUE_TRUE:
                value = Boolean.TRUE;
                break;
            case VALUE_FALSE:
                value = Boolean.FALSE;
                break;
            case VALUE_NULL:
                value = null;
                break;
            default:
                value = parser.getText();
        }
        return new YamlNode(Kind.SCALAR, line, value, null, null);
    }

    String text() {
        return scalar == null ? null : String.valueOf(scalar);
    }
}
