// SPDX-License-Identifier: GPL-2.0-only
/*
 * ksfctl complete bash: the bash completion script, generated from the
 * command table (cmds.c), the policy keywords and libksf's tables (the
 * names of services, algorithms, ... and each service's item fields).
 * make writes it to ksfctl/ksfctl.bash; make install puts it where
 * bash-completion finds it.
 */
#include <string.h>

#include "ksfctl.h"

/* Keywords of the commands whose values come from a name table. */
static const struct {
	const char *kw;
	enum ksf_name_table t;
} kw_names[] = {
	{ "kind", KSF_NAMES_PEER_KIND },
	{ "type", KSF_NAMES_KEY_TYPE },
	{ "usage", KSF_NAMES_KEY_USAGE },
	{ "services", KSF_NAMES_SERVICE },
	{ "algs", KSF_NAMES_ALG },
	{ "notify", KSF_NAMES_NOTIFY_STATUS },
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The names of a table, space-separated. */
static void names(FILE *f, enum ksf_name_table t)
{
	bool flags = names_are_flags(t), first = true;
	const char *s;
	uint32_t v;

	for (v = flags ? 0 : 1; v < 32; v++) {
		s = ksf_name(t, flags ? 1u << v : v);
		if (!s)
			continue;
		fprintf(f, "%s%s", first ? "" : " ", s);
		first = false;
	}
}

/* _ksfctl_item_kw SERVICE: the service's item keywords */
static void item_keywords(FILE *f)
{
	struct ksf_field fi;
	uint32_t s;
	size_t i, j;

	fprintf(f, "_ksfctl_item_kw()\n{\n\tcase $1 in\n");
	for (i = 0; (s = service_nth(i)); i++) {
		fprintf(f, "\t%s) echo \"", ksf_name(KSF_NAMES_SERVICE, s));
		for (j = 0; !ksf_item_field_info(s, j, &fi); j++)
			fprintf(f, "%s%s", j ? " " : "", fi.name);
		fprintf(f, "\" ;;\n");
	}
	fprintf(f, "\tesac\n}\n\n");
}

/* true when an earlier service has a field of this name with a table */
static bool field_seen(uint32_t upto, size_t upto_j, const char *name)
{
	struct ksf_field fi;
	uint32_t s;
	size_t i, j;

	for (i = 0; (s = service_nth(i)) && s <= upto; i++)
		for (j = 0; !ksf_item_field_info(s, j, &fi); j++) {
			if (s == upto && j >= upto_j)
				return false;
			if (fi.names && !strcmp(fi.name, name))
				return true;
		}
	return false;
}

/* _ksfctl_values KEYWORD: the names a keyword's value may take */
static void values(FILE *f)
{
	struct ksf_field fi;
	uint32_t s;
	size_t i, j;

	fprintf(f, "_ksfctl_values()\n{\n\tcase $1 in\n");
	for (i = 0; i < ARRAY_SIZE(kw_names); i++) {
		fprintf(f, "\t%s) echo \"", kw_names[i].kw);
		names(f, kw_names[i].t);
		fprintf(f, "\" ;;\n");
	}
	fprintf(f, "\tcaller-rand) echo \"on off\" ;;\n");
	for (i = 0; (s = service_nth(i)); i++)
		for (j = 0; !ksf_item_field_info(s, j, &fi); j++) {
			if (!fi.names || field_seen(s, j, fi.name))
				continue;
			fprintf(f, "\t%s) echo \"", fi.name);
			names(f, fi.names - 1);
			fprintf(f, "\" ;;\n");
		}
	fprintf(f, "\tesac\n}\n\n");
}

/* _ksfctl_commands OBJECT: its commands; _ksfctl_keywords OBJECT COMMAND */
static void commands_of(FILE *f)
{
	const struct cmd *c, *d;

	fprintf(f, "_ksfctl_objects=\"help");
	for (c = commands; c->object; c++) {
		for (d = commands; d < c; d++)
			if (!strcmp(d->object, c->object))
				break;
		if (d == c && c->usage)
			fprintf(f, " %s", c->object);
	}
	fprintf(f, "\"\n\n_ksfctl_commands()\n{\n\tcase $1 in\n");
	for (c = commands; c->object; c++) {
		if (!c->command)
			continue;
		for (d = commands; d < c; d++)
			if (!strcmp(d->object, c->object) && d->command)
				break;
		if (d != c)
			continue;
		fprintf(f, "\t%s) echo \"", c->object);
		for (d = c; d->object; d++)
			if (d->command && !strcmp(d->object, c->object))
				fprintf(f, "%s%s%s%s", d == c ? "" : " ", d->command,
					d->aliases ? " " : "",
					d->aliases ? d->aliases : "");
		fprintf(f, "\" ;;\n");
	}
	fprintf(f, "\tesac\n}\n\n_ksfctl_keywords()\n{\n\tcase \"$1 $2\" in\n");
	for (c = commands; c->object; c++) {
		bool policy = !strcmp(c->object, "peer") && c->command &&
			      (!strcmp(c->command, "add") || !strcmp(c->command, "set"));

		if (!c->keywords || (!c->keywords[0] && !policy))
			continue;
		fprintf(f, "\t\"%s %s\") echo \"%s%s%s\" ;;\n", c->object,
			c->command ? c->command : "", c->keywords,
			policy ? " " : "", policy ? policy_keywords : "");
	}
	fprintf(f, "\tesac\n}\n\n");
}

static const char bash_main[] =
"# _ksfctl_list WORDS: complete the last element of a comma list\n"
"_ksfctl_list()\n"
"{\n"
"\tlocal pre=\n"
"\t[[ $cur == *,* ]] && pre=${cur%,*},\n"
"\tCOMPREPLY=($(compgen -P \"$pre\" -W \"$1 all none\" -- \"${cur##*,}\"))\n"
"}\n"
"\n"
"_ksfctl()\n"
"{\n"
"\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}\n"
"\tlocal i=1 obj sub vals\n"
"\tCOMPREPLY=()\n"
"\twhile ((i < COMP_CWORD)) && [[ ${COMP_WORDS[i]} == -* ]]; do ((i++)); done\n"
"\tif ((COMP_CWORD == i)); then\n"
"\t\tCOMPREPLY=($(compgen -W \"-j --json -V --version $_ksfctl_objects\" -- \"$cur\"))\n"
"\t\treturn\n"
"\tfi\n"
"\tobj=${COMP_WORDS[i]} sub=${COMP_WORDS[i + 1]}\n"
"\tif ((COMP_CWORD == i + 1)); then\n"
"\t\tcase $obj in\n"
"\t\tservice) COMPREPLY=($(compgen -W \"batch $(_ksfctl_values services)\" -- \"$cur\")) ;;\n"
"\t\tnotify) COMPREPLY=($(compgen -W \"- key-replace\" -- \"$cur\")) ;;\n"
"\t\thelp) COMPREPLY=($(compgen -W \"service\" -- \"$cur\")) ;;\n"
"\t\t*) COMPREPLY=($(compgen -W \"$(_ksfctl_commands \"$obj\") $(_ksfctl_keywords \"$obj\" \"\")\" -- \"$cur\")) ;;\n"
"\t\tesac\n"
"\t\treturn\n"
"\tfi\n"
"\tcase $obj in\n"
"\tservice)\n"
"\t\tif [[ $sub == batch ]]; then\n"
"\t\t\tCOMPREPLY=($(compgen -f -- \"$cur\"))\n"
"\t\telif (((COMP_CWORD - i) % 2 == 0)); then\n"
"\t\t\tCOMPREPLY=($(compgen -W \"$(_ksfctl_item_kw \"$sub\")\" -- \"$cur\"))\n"
"\t\telse\n"
"\t\t\tvals=$(_ksfctl_values \"$prev\")\n"
"\t\t\t[[ $prev == *usage ]] && _ksfctl_list \"$vals\" && return\n"
"\t\t\tCOMPREPLY=($(compgen -W \"$vals\" -- \"$cur\"))\n"
"\t\tfi\n"
"\t\treturn ;;\n"
"\tnotify)\n"
"\t\t[[ $sub == key-replace ]] && return\n"
"\t\tvals=$(_ksfctl_values notify)\n"
"\t\tCOMPREPLY=($(compgen -W \"${vals/key-replace/}\" -- \"$cur\"))\n"
"\t\treturn ;;\n"
"\tmsg)\n"
"\t\t[[ $prev == receive || $prev == peek ]] && COMPREPLY=($(compgen -f -- \"$cur\")) && return ;;\n"
"\tsave | restore)\n"
"\t\t[[ $prev == file ]] && COMPREPLY=($(compgen -f -- \"$cur\")) && return\n"
"\t\tsub= ;;\n"
"\tesac\n"
"\tvals=$(_ksfctl_values \"$prev\")\n"
"\tcase $prev in\n"
"\tservices | algs | usage) _ksfctl_list \"$vals\" ;;\n"
"\tmaterial-file | file | out) COMPREPLY=($(compgen -f -- \"$cur\")) ;;\n"
"\t*)\n"
"\t\tif [[ -n $vals ]]; then\n"
"\t\t\tCOMPREPLY=($(compgen -W \"$vals\" -- \"$cur\"))\n"
"\t\telse\n"
"\t\t\tCOMPREPLY=($(compgen -W \"$(_ksfctl_keywords \"$obj\" \"$sub\")\" -- \"$cur\"))\n"
"\t\tfi ;;\n"
"\tesac\n"
"}\n"
"complete -F _ksfctl ksfctl\n";

void complete_bash(FILE *f)
{
	fprintf(f, "# bash completion of ksfctl(8)\n"
		"# Generated by \"ksfctl complete bash\" from ksfctl's command "
		"table and libksf's\n# field tables (ksf %s): do not edit.\n\n",
		LIBKSF_VERSION);
	commands_of(f);
	item_keywords(f);
	values(f);
	fputs(bash_main, f);
}

int cmd_complete(int argc, char **argv)
{
	if (argc != 2 || strcmp(argv[1], "bash"))
		die_usage("usage: complete bash");
	complete_bash(stdout);
	return 0;
}
