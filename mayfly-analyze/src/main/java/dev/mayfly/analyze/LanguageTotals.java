package dev.mayfly.analyze;

/** Files and lines of one language. */
final class LanguageTotals {

    final String language;
    long files;
    long blank;
    long comment;
    long code;

    LanguageTotals(String language) {
        this.language = language;
    }

    long lines() {
        return blank + comment + code;
    }

    void add(LineKind kind) {
        switch (kind) {
            case BLANK:
                blank++;
                break;
            case COMMENT:
                comment++;
                break;
            default:
                code++;
        }
    }
}
