/* SPDX-License-Identifier: MIT */
/*
 * --e820-file: a raw E820 table in text, handed to the guest verbatim. The
 * entries are the point of the exercise (unsorted, overlapping, empty,
 * wrapping), so only the text is judged here: every line must be an entry,
 * a comment or blank, and anything else is refused with FILE:LINE.
 */
#include "e820_file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "size.h"

#define E820_FILE_LINE_MAX 512          /* characters, newline excluded */
#define E820_FILE_BYTES_MAX (1u << 20)  /* 128 full lines are far less */
#define E820_FILE_READ_CHUNK 4096u
#define E820_FILE_COMMENT '#'
#define E820_FILE_FIELDS 3              /* ADDR SIZE TYPE */
#define TOKEN_SHOWN_MAX 40              /* longest token quoted in a message */
#define WHERE_MAX 320                   /* "FILE:LINE" or "line LINE" */

/* Where a message points: "FILE:LINE" when the file is known, else "line LINE". */
static void where(char *buf, size_t len, const char *name, unsigned line)
{
	if (name)
		snprintf(buf, len, "%s:%u", name, line);
	else
		snprintf(buf, len, "line %u", line);
}

/* A token fit to print: hostile bytes become '?', long ones are clipped. */
static const char *shown(const char *tok, char *buf, size_t len)
{
	size_t i, n = strlen(tok);
	bool clipped = n > TOKEN_SHOWN_MAX;

	if (clipped)
		n = TOKEN_SHOWN_MAX;
	if (n + sizeof("...") > len)
		n = len - sizeof("...");
	for (i = 0; i < n; i++)
		buf[i] = (tok[i] >= ' ' && tok[i] < 0x7f) ? tok[i] : '?';
	strcpy(buf + i, clipped ? "..." : "");
	return buf;
}

/* Field separators: blanks, and the '\r' of files written on Windows. */
static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/*
 * Split @line (NUL-terminated, modified) into at most @max fields, comment
 * stripped; returns how many were found, or max + 1 if there are more.
 */
static unsigned split_fields(char *line, char **field, unsigned max)
{
	char *p = strchr(line, E820_FILE_COMMENT);
	unsigned n = 0;

	if (p)
		*p = '\0';
	p = line;
	for (;;) {
		while (is_blank(*p))
			p++;
		if (!*p)
			return n;
		if (n == max)
			return max + 1;
		field[n++] = p;
		while (*p && !is_blank(*p))
			p++;
		if (*p)
			*p++ = '\0';
	}
}

/* The @n fields of one line into @e; -1 with @err naming @at and the bad field. */
static int parse_entry(char **field, unsigned n, struct e820_entry *e, const char *at,
		       struct vmm_err *err)
{
	static const char *const names[E820_FILE_FIELDS] = { "ADDR", "SIZE", "TYPE" };
	char tok[TOKEN_SHOWN_MAX + sizeof("...")];

	if (n < E820_FILE_FIELDS)
		return err_set(err, "%s: missing %s (expected ADDR SIZE TYPE)", at, names[n]);
	if (n > E820_FILE_FIELDS) {
		/* split_fields() stopped at the extra field: find it for the message. */
		char *junk = field[E820_FILE_FIELDS - 1] + strlen(field[E820_FILE_FIELDS - 1]) + 1;

		while (is_blank(*junk))
			junk++;
		junk[strcspn(junk, " \t\r\v\f")] = '\0';
		return err_set(err, "%s: unexpected '%s' after TYPE", at,
			       shown(junk, tok, sizeof(tok)));
	}
	if (parse_u64(field[0], &e->addr))
		return err_set(err, "%s: invalid address '%s'", at,
			       shown(field[0], tok, sizeof(tok)));
	if (parse_size(field[1], &e->size))
		return err_set(err, "%s: invalid size '%s'", at, shown(field[1], tok, sizeof(tok)));
	if (e820_type_parse(field[2], &e->type))
		return err_set(err, "%s: unknown E820 type '%s'", at,
			       shown(field[2], tok, sizeof(tok)));
	return 0;
}

/* e820_file_parse() with @name (or NULL) for the messages. */
static int parse_named(const char *name, const char *buf, size_t len, struct e820_entry *out,
		       unsigned max, struct vmm_err *err)
{
	char line[E820_FILE_LINE_MAX + 1], at[WHERE_MAX];
	char *field[E820_FILE_FIELDS + 1];
	size_t pos = 0;
	unsigned lineno = 0, n = 0, nf;

	while (pos < len) {
		const char *start = buf + pos, *nl = memchr(start, '\n', len - pos);
		size_t l = nl ? (size_t)(nl - start) : len - pos;

		pos += l + (nl ? 1 : 0);
		lineno++;
		where(at, sizeof(at), name, lineno);
		if (memchr(start, '\0', l))
			return err_set(err, "%s: NUL byte in the line", at);
		if (l > E820_FILE_LINE_MAX)
			return err_set(err, "%s: line longer than %u characters", at,
				       E820_FILE_LINE_MAX);
		memcpy(line, start, l);
		line[l] = '\0';

		nf = split_fields(line, field, E820_FILE_FIELDS);
		if (nf == 0)
			continue; /* blank or comment */
		if (n == max)
			return err_set(err, "%s: more than %u entries", at, max);
		if (parse_entry(field, nf, &out[n], at, err))
			return -1;
		n++;
	}
	if (n == 0) {
		if (name)
			return err_set(err, "%s: no E820 entries", name);
		return err_set(err, "no E820 entries in the table");
	}
	return (int)n;
}

int e820_file_parse(const char *buf, size_t len, struct e820_entry *out, unsigned max,
		    struct vmm_err *err)
{
	return parse_named(NULL, buf, len, out, max, err);
}

/* The whole file into a malloc()ed buffer, refusing anything too big to be a table. */
static char *read_file(const char *path, size_t *len_out, struct vmm_err *err)
{
	size_t len = 0, cap = 0;
	char *buf = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		err_set(err, "cannot open E820 file '%s': %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		ssize_t r;

		if (len == cap) {
			char *nbuf;

			cap += E820_FILE_READ_CHUNK;
			nbuf = realloc(buf, cap);
			if (!nbuf) {
				err_set(err, "out of memory reading E820 file '%s'", path);
				goto fail;
			}
			buf = nbuf;
		}
		r = read(fd, buf + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			err_set(err, "cannot read E820 file '%s': %s", path, strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		len += (size_t)r;
		if (len > E820_FILE_BYTES_MAX) {
			err_set(err, "E820 file '%s' is larger than %u bytes", path,
				E820_FILE_BYTES_MAX);
			goto fail;
		}
	}
	close(fd);
	*len_out = len;
	return buf;
fail:
	free(buf);
	close(fd);
	return NULL;
}

int e820_file_load(const char *path, struct e820_entry *out, unsigned max, struct vmm_err *err)
{
	size_t len;
	char *buf;
	int ret;

	if (!path || !*path)
		return err_set(err, "empty E820 file name");
	buf = read_file(path, &len, err);
	if (!buf)
		return -1;
	ret = parse_named(path, buf, len, out, max, err);
	free(buf);
	return ret;
}
