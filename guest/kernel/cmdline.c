// SPDX-License-Identifier: MIT
/*
 * The kernel command line: split into words once, looked up by key.
 *
 * The splitting follows Linux's next_arg() (kernel/params.c): white space
 * separates words except inside double quotes; a quote opening the value
 * (key="a b") or the whole word ("key=a b") is removed with its partner at
 * the end of the word. The line is hostile input: its length and the
 * number of words are bounded, numbers are parsed strictly.
 *
 * Arch-neutral and without printk: the host unit test links this file.
 */
#include "kernel/cmdline.h"
#include "kernel/compiler.h"
#include "kernel/errno.h"
#include "kernel/kstrtox.h"
#include "kernel/string.h"

struct cmdline_param {
	const char *key;
	const char *val; /* NULL for a bare key */
	bool known;      /* some code looked it up */
};

/* The words point into this copy of the line, cut up with NULs. */
static char cmdline_buf[CMDLINE_MAX + 1] __noinit;
static struct cmdline_param cmdline_params[CMDLINE_MAX_PARAMS];
static unsigned int cmdline_nr;

/* The white space of C's isspace() in the "C" locale. */
static bool cmdline_isspace(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* Skip white space. */
static char *skip_spaces(char *p)
{
	while (cmdline_isspace(*p))
		p++;
	return p;
}

/*
 * Cut the word at @p (not white space, not the end) into @param and return
 * where the next one may start.
 */
static char *next_param(char *p, struct cmdline_param *param)
{
	bool in_quote = false, quoted = false;
	char *equals = NULL;
	size_t i;

	if (*p == '"') {
		p++;
		in_quote = true;
		quoted = true;
	}
	for (i = 0; p[i]; i++) {
		if (cmdline_isspace(p[i]) && !in_quote)
			break;
		if (!equals && p[i] == '=')
			equals = &p[i];
		if (p[i] == '"')
			in_quote = !in_quote;
	}

	param->key = p;
	param->val = NULL;
	param->known = false;
	if (equals) {
		*equals = '\0';
		param->val = equals + 1;
		/* key="value": drop both quotes (the closing one if the word ends with it). */
		if (*param->val == '"') {
			param->val++;
			if (i > 0 && p[i - 1] == '"' && &p[i - 1] >= param->val)
				p[i - 1] = '\0';
		}
	}
	/* "key=value": drop the closing quote of a word that opened with one. */
	if (quoted && i > 0 && p[i - 1] == '"')
		p[i - 1] = '\0';

	if (p[i] == '\0')
		return &p[i];
	p[i] = '\0';
	return &p[i + 1];
}

/* Split @line into words; see kernel/cmdline.h. */
int cmdline_parse(const char *line)
{
	size_t len;
	char *p;

	cmdline_nr = 0;
	cmdline_buf[0] = '\0';
	if (!line)
		return 0;
	len = strnlen(line, CMDLINE_MAX + 1);
	if (len > CMDLINE_MAX)
		return -E2BIG;
	memcpy(cmdline_buf, line, len);
	cmdline_buf[len] = '\0';

	for (p = skip_spaces(cmdline_buf); *p; p = skip_spaces(p)) {
		if (cmdline_nr == CMDLINE_MAX_PARAMS) {
			cmdline_nr = 0;
			return -ENOSPC;
		}
		p = next_param(p, &cmdline_params[cmdline_nr++]);
	}
	return 0;
}

/* How many words the line had. */
unsigned int cmdline_nr_params(void)
{
	return cmdline_nr;
}

/* The last word with @key, every such word marked known; NULL if none. */
static struct cmdline_param *cmdline_lookup(const char *key)
{
	struct cmdline_param *last = NULL;
	unsigned int i;

	for (i = 0; i < cmdline_nr; i++) {
		if (strcmp(cmdline_params[i].key, key) == 0) {
			cmdline_params[i].known = true;
			last = &cmdline_params[i];
		}
	}
	return last;
}

/* Whether @key was given. */
bool cmdline_has(const char *key)
{
	return cmdline_lookup(key) != NULL;
}

/* The value of the last @key ("" if bare), NULL if absent. */
const char *cmdline_get(const char *key)
{
	struct cmdline_param *param = cmdline_lookup(key);

	if (!param)
		return NULL;
	return param->val ? param->val : "";
}

/* The value of @key as one number. */
int cmdline_get_u64(const char *key, u64 *val)
{
	struct cmdline_param *param = cmdline_lookup(key);

	if (!param)
		return -ENOENT;
	if (!param->val)
		return -EINVAL;
	return kstrtou64(param->val, 0, val);
}

/* One list item, NUL-terminated for kstrtou64() (a whole line fits). */
static char cmdline_item[CMDLINE_MAX + 1] __noinit;

/* The value of @key as a comma-separated list of numbers. */
int cmdline_get_u64_list(const char *key, u64 *vals, unsigned int max, unsigned int *nr)
{
	struct cmdline_param *param = cmdline_lookup(key);
	unsigned int n = 0;
	const char *p;

	if (!param)
		return -ENOENT;
	if (!param->val)
		return -EINVAL;

	for (p = param->val;; p++) {
		size_t len = 0;
		int ret;

		while (p[len] && p[len] != ',')
			len++;
		if (len == 0)
			return -EINVAL;
		if (n == max)
			return -E2BIG;
		memcpy(cmdline_item, p, len);
		cmdline_item[len] = '\0';
		ret = kstrtou64(cmdline_item, 0, &vals[n]);
		if (ret)
			return ret;
		n++;
		p += len;
		if (*p == '\0')
			break;
	}
	*nr = n;
	return 0;
}

/* Append @s to @buf at *@pos, keeping room for the final NUL. */
static void append(char *buf, size_t size, size_t *pos, const char *s)
{
	while (*s && *pos + 1 < size)
		buf[(*pos)++] = *s++;
}

/* The words nobody looked up, as "key=value key2"; see kernel/cmdline.h. */
unsigned int cmdline_unknown(char *buf, size_t size)
{
	unsigned int i, count = 0;
	size_t pos = 0;

	for (i = 0; i < cmdline_nr; i++) {
		const struct cmdline_param *param = &cmdline_params[i];

		if (param->known)
			continue;
		if (count++)
			append(buf, size, &pos, " ");
		append(buf, size, &pos, param->key);
		if (param->val) {
			append(buf, size, &pos, "=");
			append(buf, size, &pos, param->val);
		}
	}
	if (size)
		buf[pos] = '\0';
	return count;
}
