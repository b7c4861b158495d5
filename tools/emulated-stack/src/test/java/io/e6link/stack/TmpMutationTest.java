package io.e6link.stack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import org.junit.jupiter.api.Test;

class TmpMutationTest {
    @Test
    void mutate() throws Exception {
        Path root = io.e6link.testing.Events.projectRoot();
        String doc = Files.readString(root.resolve("docs/troubleshooting.md"));
        var sources = TroubleshootingDocTest.Sources.load(root);
        // 1. remove each marked line alone: does code -> doc notice?
        List<String> unnoticed = new ArrayList<>();
        Matcher m = TroubleshootingDocTest.MESSAGE_LINE.matcher(doc);
        int lines = 0;
        while (m.find()) {
            lines++;
            String edited = doc.substring(0, m.start()) + doc.substring(m.end());
            if (TroubleshootingDocTest.missingFromDoc(sources.sites(), edited).isEmpty()) {
                unnoticed.add(m.group(2));
            }
        }
        System.out.println("REMOVAL lines=" + lines + " unnoticed=" + unnoticed.size());
        unnoticed.forEach(u -> System.out.println("  R " + u));
        // 2. reword each message: replace its longest word (>=5 letters) with "zzqx": does doc -> code notice?
        List<String> missed = new ArrayList<>();
        int n = 0;
        for (String message : TroubleshootingDocTest.messages(doc)) {
            String plain = TroubleshootingDocTest.PLACEHOLDER.matcher(message).replaceAll("\u0001");
            String longest = "";
            for (String w : plain.split("[^A-Za-z]+")) if (w.length() > longest.length()) longest = w;
            if (longest.length() < 5) continue;
            n++;
            String reworded = message.replaceFirst(java.util.regex.Pattern.quote(longest), "zzqx");
            String edited = doc.replace("`" + message + "`", "`" + reworded + "`");
            if (TroubleshootingDocTest.notWrittenByCode(edited, sources.corpus()).isEmpty()) missed.add(reworded);
            // drop one word instead
            String dropped = message.replaceFirst(" " + java.util.regex.Pattern.quote(longest), "");
            String edited2 = doc.replace("`" + message + "`", "`" + dropped + "`");
            if (!dropped.equals(message) && TroubleshootingDocTest.notWrittenByCode(edited2, sources.corpus()).isEmpty()) missed.add("DROP " + dropped);
        }
        System.out.println("REWORD messages=" + n + " missed=" + missed.size());
        missed.forEach(u -> System.out.println("  W " + u));
    }
}
