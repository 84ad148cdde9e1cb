// SPDX-License-Identifier: MIT
/*
 * vsnprintf()/snprintf(): the formatting engine behind printk.
 *
 * C99 semantics for the conversions it supports (see kernel/sprintf.h), so
 * the host unit test can compare it against the C library character by
 * character. Where C leaves the output to the library, glibc's choice is
 * taken: NULL for %s prints "(null)" (nothing if the precision is below 6),
 * NULL for %p prints "(nil)", other pointers print as %#lx.
 *
 * Arch-neutral and free of every header but kernel/: the host unit test
 * links this very file.
 */
#include <stdarg.h>

#include "kernel/sprintf.h"
#include "kernel/string.h"
#include "kernel/types.h"

/* Flags of one conversion specification. */
#define FMT_LEFT (1u << 0)    /* '-': pad on the right */
#define FMT_PLUS (1u << 1)    /* '+': '+' before non-negative signed numbers */
#define FMT_SPACE (1u << 2)   /* ' ': ' ' before non-negative signed numbers */
#define FMT_SPECIAL (1u << 3) /* '#': 0x before hex, a leading 0 for octal */
#define FMT_ZEROPAD (1u << 4) /* '0': pad numbers with zeros */
#define FMT_SIGNED (1u << 5)  /* the conversion is %d or %i */
#define FMT_UPPER (1u << 6)   /* %X */

/*
 * Widths and precisions are clamped here (as Linux clamps them), so that
 * neither a format nor a '*' argument can make the count overflow.
 */
#define FMT_FIELD_MAX ((1 << 23) - 1)

/* A u64 in octal, the longest base, has 22 digits. */
#define FMT_DIGITS_MAX 22

#define STR_NULL "(null)"
#define STR_NULL_LEN 6
#define STR_NIL "(nil)"

enum fmt_length { LEN_INT, LEN_CHAR, LEN_SHORT, LEN_LONG, LEN_LLONG, LEN_SIZE, LEN_PTRDIFF,
		  LEN_INTMAX };

struct fmt_spec {
	unsigned int flags;
	int width;     /* -1: none */
	int precision; /* -1: none */
	unsigned int base;
	enum fmt_length length;
};

/* Where the output goes: @size bytes at @buf, @pos characters produced so far. */
struct fmt_out {
	char *buf;
	size_t size;
	size_t pos;
};

/* Bytes that may still be stored: one is always kept for the NUL. */
static size_t out_room(const struct fmt_out *out)
{
	return out->pos + 1 < out->size ? out->size - 1 - out->pos : 0;
}

/*
 * Emit @c @n times, storing what fits and counting it all. Bulk copies
 * (memset here, memcpy below) rather than a byte loop: guest instructions
 * are slow on this project's KVM host (docs/platform-notes.md).
 */
static void out_repeat(struct fmt_out *out, char c, size_t n)
{
	size_t k = n < out_room(out) ? n : out_room(out);

	if (k)
		memset(out->buf + out->pos, c, k);
	out->pos += n;
}

/* Emit @n bytes of @s, storing what fits and counting it all. */
static void out_bytes(struct fmt_out *out, const char *s, size_t n)
{
	size_t k = n < out_room(out) ? n : out_room(out);

	if (k)
		memcpy(out->buf + out->pos, s, k);
	out->pos += n;
}

/* Length of @s, looking at no more than @max bytes (%.Ns must not read past N). */
static size_t fmt_strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

/* Pad @len characters of content to the width: spaces before unless '-'. */
static void pad_before(struct fmt_out *out, const struct fmt_spec *spec, size_t len)
{
	if (!(spec->flags & FMT_LEFT) && spec->width > 0 && (size_t)spec->width > len)
		out_repeat(out, ' ', (size_t)spec->width - len);
}

/* ...and spaces after when '-' was given. */
static void pad_after(struct fmt_out *out, const struct fmt_spec *spec, size_t len)
{
	if ((spec->flags & FMT_LEFT) && spec->width > 0 && (size_t)spec->width > len)
		out_repeat(out, ' ', (size_t)spec->width - len);
}

/* %s (and "(nil)" for %p): at most precision bytes of @s, padded to width. */
static void format_string(struct fmt_out *out, const struct fmt_spec *spec, const char *s)
{
	size_t len;

	if (!s)
		s = (spec->precision < 0 || spec->precision >= STR_NULL_LEN) ? STR_NULL : "";
	len = fmt_strnlen(s, spec->precision < 0 ? (size_t)-1 : (size_t)spec->precision);
	pad_before(out, spec, len);
	out_bytes(out, s, len);
	pad_after(out, spec, len);
}

/* %c: one character, padded to width; precision does not apply. */
static void format_char(struct fmt_out *out, const struct fmt_spec *spec, char c)
{
	pad_before(out, spec, 1);
	out_repeat(out, c, 1);
	pad_after(out, spec, 1);
}

/*
 * Write the digits of @v in @base (8, 10 or 16) backwards, ending just
 * before @end; return how many. Powers of two use shifts and base 10 a
 * constant divisor: no division instruction in the loop.
 */
static size_t format_digits(char *end, u64 v, unsigned int base, bool upper)
{
	const char *digit_chars = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char *p = end;

	if (base == 10) {
		do {
			*--p = (char)('0' + v % 10);
			v /= 10;
		} while (v);
	} else {
		unsigned int shift = base == 16 ? 4 : 3;

		do {
			*--p = digit_chars[v & (base - 1)];
			v >>= shift;
		} while (v);
	}
	return (size_t)(end - p);
}

/*
 * Integers: [sign or 0x prefix][zeros][digits], padded to width with spaces
 * (or with zeros after the prefix for '0' without a precision).
 */
static void format_number(struct fmt_out *out, const struct fmt_spec *spec, u64 magnitude,
			  bool negative)
{
	char digits[FMT_DIGITS_MAX];
	char *end = digits + FMT_DIGITS_MAX;
	char prefix[2];
	size_t nr_digits = 0, nr_prefix = 0, nr_zeros = 0, len;
	bool zero = magnitude == 0;

	/* Zero with precision 0 has no digits at all. */
	if (!zero || spec->precision != 0)
		nr_digits = format_digits(end, magnitude, spec->base, spec->flags & FMT_UPPER);

	if (spec->flags & FMT_SIGNED) {
		if (negative)
			prefix[nr_prefix++] = '-';
		else if (spec->flags & FMT_PLUS)
			prefix[nr_prefix++] = '+';
		else if (spec->flags & FMT_SPACE)
			prefix[nr_prefix++] = ' ';
	}

	if (spec->precision > 0 && (size_t)spec->precision > nr_digits)
		nr_zeros = (size_t)spec->precision - nr_digits;

	if (spec->flags & FMT_SPECIAL) {
		/* "0x" only before a non-zero value; octal just starts with a 0. */
		if (spec->base == 16 && !zero) {
			prefix[nr_prefix++] = '0';
			prefix[nr_prefix++] = (spec->flags & FMT_UPPER) ? 'X' : 'x';
		} else if (spec->base == 8 && nr_zeros == 0 &&
			   (nr_digits == 0 || end[-(ptrdiff_t)nr_digits] != '0')) {
			nr_zeros = 1;
		}
	}

	len = nr_prefix + nr_zeros + nr_digits;
	if ((spec->flags & FMT_ZEROPAD) && !(spec->flags & FMT_LEFT) && spec->precision < 0 &&
	    spec->width > 0 && (size_t)spec->width > len) {
		nr_zeros += (size_t)spec->width - len;
		len = (size_t)spec->width;
	}

	pad_before(out, spec, len);
	out_bytes(out, prefix, nr_prefix);
	out_repeat(out, '0', nr_zeros);
	out_bytes(out, end - nr_digits, nr_digits);
	pad_after(out, spec, len);
}

/* Fetch a signed argument of the spec's length and split it into sign and magnitude. */
static void format_signed(struct fmt_out *out, const struct fmt_spec *spec, va_list *args)
{
	s64 v;

	switch (spec->length) {
	case LEN_CHAR:
		v = (signed char)va_arg(*args, int);
		break;
	case LEN_SHORT:
		v = (short)va_arg(*args, int);
		break;
	case LEN_LONG:
		v = va_arg(*args, long);
		break;
	case LEN_LLONG:
		v = va_arg(*args, long long);
		break;
	case LEN_SIZE:
		/* The signed type of size_t's width (POSIX ssize_t). */
		v = (s64)(ptrdiff_t)va_arg(*args, size_t);
		break;
	case LEN_PTRDIFF:
		v = va_arg(*args, ptrdiff_t);
		break;
	case LEN_INTMAX:
		v = va_arg(*args, intmax_t);
		break;
	default:
		v = va_arg(*args, int);
		break;
	}
	/* 0 - (u64)v is the magnitude even for INT64_MIN. */
	format_number(out, spec, v < 0 ? 0 - (u64)v : (u64)v, v < 0);
}

/* Fetch an unsigned argument of the spec's length. */
static void format_unsigned(struct fmt_out *out, const struct fmt_spec *spec, va_list *args)
{
	u64 v;

	switch (spec->length) {
	case LEN_CHAR:
		v = (unsigned char)va_arg(*args, unsigned int);
		break;
	case LEN_SHORT:
		v = (unsigned short)va_arg(*args, unsigned int);
		break;
	case LEN_LONG:
		v = va_arg(*args, unsigned long);
		break;
	case LEN_LLONG:
		v = va_arg(*args, unsigned long long);
		break;
	case LEN_SIZE:
		v = va_arg(*args, size_t);
		break;
	case LEN_PTRDIFF:
		/* The unsigned type of ptrdiff_t's width. */
		v = (u64)(size_t)va_arg(*args, ptrdiff_t);
		break;
	case LEN_INTMAX:
		v = va_arg(*args, uintmax_t);
		break;
	default:
		v = va_arg(*args, unsigned int);
		break;
	}
	format_number(out, spec, v, false);
}

/* %p: "(nil)" for NULL, else the address as %#lx would print it. */
static void format_pointer(struct fmt_out *out, struct fmt_spec *spec, const void *p)
{
	if (!p) {
		spec->precision = -1;
		format_string(out, spec, STR_NIL);
		return;
	}
	spec->base = 16;
	spec->flags = (spec->flags & ~(FMT_SIGNED | FMT_UPPER)) | FMT_SPECIAL;
	format_number(out, spec, (u64)(uintptr_t)p, false);
}

/* Read a decimal field (width or precision) at *@fmt, clamped to FMT_FIELD_MAX. */
static int parse_field(const char **fmt)
{
	int v = 0;

	while (**fmt >= '0' && **fmt <= '9') {
		v = v * 10 + (**fmt - '0');
		if (v > FMT_FIELD_MAX)
			v = FMT_FIELD_MAX;
		(*fmt)++;
	}
	return v;
}

/* Clamp a '*' argument to FMT_FIELD_MAX in magnitude. */
static int clamp_field(int v)
{
	if (v > FMT_FIELD_MAX)
		return FMT_FIELD_MAX;
	if (v < -FMT_FIELD_MAX)
		return -FMT_FIELD_MAX;
	return v;
}

/*
 * Parse flags, width, precision and length of the specification after '%'
 * (fetching '*' arguments); leaves *@fmt at the conversion character.
 */
static void parse_spec(const char **fmt, struct fmt_spec *spec, va_list *args)
{
	const char *p = *fmt;

	spec->flags = 0;
	spec->width = -1;
	spec->precision = -1;
	spec->base = 10;
	spec->length = LEN_INT;

	for (;; p++) {
		if (*p == '-')
			spec->flags |= FMT_LEFT;
		else if (*p == '+')
			spec->flags |= FMT_PLUS;
		else if (*p == ' ')
			spec->flags |= FMT_SPACE;
		else if (*p == '#')
			spec->flags |= FMT_SPECIAL;
		else if (*p == '0')
			spec->flags |= FMT_ZEROPAD;
		else
			break;
	}

	if (*p == '*') {
		/* A negative width argument means '-' and its absolute value. */
		spec->width = clamp_field(va_arg(*args, int));
		if (spec->width < 0) {
			spec->flags |= FMT_LEFT;
			spec->width = -spec->width;
		}
		p++;
	} else if (*p >= '0' && *p <= '9') {
		spec->width = parse_field(&p);
	}

	if (*p == '.') {
		p++;
		if (*p == '*') {
			/* A negative precision argument means no precision. */
			spec->precision = clamp_field(va_arg(*args, int));
			if (spec->precision < 0)
				spec->precision = -1;
			p++;
		} else {
			spec->precision = parse_field(&p);
		}
	}

	switch (*p) {
	case 'h':
		p++;
		spec->length = LEN_SHORT;
		if (*p == 'h') {
			p++;
			spec->length = LEN_CHAR;
		}
		break;
	case 'l':
		p++;
		spec->length = LEN_LONG;
		if (*p == 'l') {
			p++;
			spec->length = LEN_LLONG;
		}
		break;
	case 'z':
		p++;
		spec->length = LEN_SIZE;
		break;
	case 't':
		p++;
		spec->length = LEN_PTRDIFF;
		break;
	case 'j':
		p++;
		spec->length = LEN_INTMAX;
		break;
	default:
		break;
	}
	*fmt = p;
}

/* Format @fmt with @args into @buf of @size bytes; see kernel/sprintf.h. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
	struct fmt_out out = { .buf = buf, .size = buf ? size : 0, .pos = 0 };
	struct fmt_spec spec;
	const char *start;
	va_list ap;

	/* A va_list may be an array type; work on a copy we can take the address of. */
	va_copy(ap, args);
	while (*fmt) {
		if (*fmt != '%') {
			start = fmt;
			while (*fmt && *fmt != '%')
				fmt++;
			out_bytes(&out, start, (size_t)(fmt - start));
			continue;
		}
		start = fmt++;
		parse_spec(&fmt, &spec, &ap);
		switch (*fmt) {
		case 'd':
		case 'i':
			spec.flags |= FMT_SIGNED;
			format_signed(&out, &spec, &ap);
			break;
		case 'u':
			format_unsigned(&out, &spec, &ap);
			break;
		case 'X':
			spec.flags |= FMT_UPPER;
			/* fall through */
		case 'x':
			spec.base = 16;
			format_unsigned(&out, &spec, &ap);
			break;
		case 'o':
			spec.base = 8;
			format_unsigned(&out, &spec, &ap);
			break;
		case 'p':
			format_pointer(&out, &spec, va_arg(ap, const void *));
			break;
		case 's':
			format_string(&out, &spec, va_arg(ap, const char *));
			break;
		case 'c':
			format_char(&out, &spec, (char)va_arg(ap, int));
			break;
		case '%':
			out_repeat(&out, '%', 1);
			break;
		case '\0':
			/* A '%' ending the format is printed as it is. */
			out_bytes(&out, start, (size_t)(fmt - start));
			continue;
		default:
			/*
			 * Unknown conversions (%n among them: nothing is ever
			 * written through an argument) are printed as they are,
			 * and fetch no argument.
			 */
			out_bytes(&out, start, (size_t)(fmt + 1 - start));
			break;
		}
		fmt++;
	}
	va_end(ap);

	if (out.size)
		out.buf[out.pos < out.size ? out.pos : out.size - 1] = '\0';
	/* The count fits an int unless the format itself is gigabytes long. */
	return out.pos > (size_t)__INT_MAX__ ? __INT_MAX__ : (int)out.pos;
}

/* snprintf() on top of vsnprintf(). */
int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list args;
	int ret;

	va_start(args, fmt);
	ret = vsnprintf(buf, size, fmt, args);
	va_end(args);
	return ret;
}
