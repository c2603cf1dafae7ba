// libxml2 for findoc. Include xmlversion.h first and drop the ICU flag: Debian builds libxml2 with ICU and its
// headers would then pull in the system ICU, which clashes with Foundation's bundled ICU.
#ifndef FINDOC_CLIBXML2_SHIM_H
#define FINDOC_CLIBXML2_SHIM_H

#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/xmlreader.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <libxml/xmlschemas.h>
#include <libxml/HTMLparser.h>

/// `xmlFree` is a global function-pointer variable, which Swift 6 rejects; call it through this.
static inline void findoc_xmlFree(void *pointer) { xmlFree(pointer); }

/// `XML_PARSE_NO_XXE` (libxml2 2.13+) or 0 where the library predates it.
static inline int findoc_xml_parse_no_xxe(void) {
#if LIBXML_VERSION >= 21300
    return XML_PARSE_NO_XXE;
#else
    return 0;
#endif
}

/// The libxml2 version as a number, e.g. 20914.
static inline int findoc_xml_version(void) { return LIBXML_VERSION; }

#endif
