#include "json_pretty.h"

enum { kInlineLimit = 72 };

/* Length of the string literal starting at p (the opening quote), quotes included. */
static size_t string_length(const char *p) {
  size_t i = 1;
  while (p[i] && p[i] != '"') i += p[i] == '\\' && p[i + 1] ? 2 : 1;
  return p[i] ? i + 1 : i;
}

/* If the container opening at p holds no other container and fits in kInlineLimit characters,
 * returns its length (through the closing bracket); else 0. */
static size_t flat_length(const char *p) {
  size_t i = 1;
  while (p[i] && i <= kInlineLimit) {
    char c = p[i];
    if (c == '"') {
      i += string_length(p + i);
    } else if (c == '{' || c == '[') {
      return 0;
    } else if (c == '}' || c == ']') {
      return i + 1;
    } else {
      ++i;
    }
  }
  return 0;
}

static void newline(FILE *out, int depth) {
  fputc('\n', out);
  for (int i = 0; i < depth; ++i) fputs("  ", out);
}

/* Writes text[0, n) with whitespace outside strings normalised to one space after ',' and ':'. */
static void write_flat(FILE *out, const char *text, size_t n) {
  for (size_t i = 0; i < n;) {
    char c = text[i];
    if (c == '"') {
      size_t len = string_length(text + i);
      fwrite(text + i, 1, len, out);
      i += len;
      continue;
    }
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') fputc(c, out);
    if (c == ',' || c == ':') fputc(' ', out);
    ++i;
  }
}

void json_pretty_print(FILE *out, const char *json) {
  int depth = 0;
  for (const char *p = json; *p;) {
    char c = *p;
    if (c == '"') {
      size_t len = string_length(p);
      fwrite(p, 1, len, out);
      p += len;
      continue;
    }
    if (c == '{' || c == '[') {
      size_t flat = flat_length(p);
      if (flat > 0) {
        write_flat(out, p, flat);
        p += flat;
        continue;
      }
      fputc(c, out);
      newline(out, ++depth);
    } else if (c == '}' || c == ']') {
      newline(out, depth > 0 ? --depth : 0);
      fputc(c, out);
    } else if (c == ',') {
      fputc(c, out);
      newline(out, depth);
    } else if (c == ':') {
      fputs(": ", out);
    } else if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
      fputc(c, out);
    }
    ++p;
  }
  fputc('\n', out);
}
