/* wordcount.c - count words, lines and bytes, like a tiny wc(1).
 *
 * Build: make wordcount
 * Usage: ./wordcount < notes.txt
 */
#include <ctype.h>
#include <stdio.h>

int main(void)
{
    long bytes = 0, words = 0, lines = 0;
    int c, in_word = 0;

    while ((c = getchar()) != EOF) {
        bytes++;
        if (c == '\n')
            lines++;
        if (isspace(c)) {
            in_word = 0;
        } else if (!in_word) {
            in_word = 1;
            words++;
        }
    }
    if (ferror(stdin)) {
        perror("wordcount: read error");
        return 1;
    }
    printf("%7ld %7ld %7ld\n", lines, words, bytes);
    return 0;
}
