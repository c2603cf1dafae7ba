// The SAX2 callbacks behind FinDocXMLEvents.h. See the header for why this exists.
//
// Safety: the parser gets the caller's options (findoc passes no network, no entity substitution, no DTD loading);
// the document's own internal subset is still read by libxml2's default SAX2 handlers, so that an entity it
// declares is known (and reported as a reference) instead of being an "undefined entity" error, exactly as with
// libxml2's reader. Entity contents that libxml2 parses once to check them arrive through a context of their own;
// their events are ignored, so nothing from an entity ever reaches the caller.
#include <libxml/xmlversion.h>
// Debian's libxml2 is built with ICU; its headers would then need the system ICU's, which findoc does not use.
#undef LIBXML_ICU_ENABLED
#include <libxml/SAX2.h>
#include <libxml/dict.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "FinDocXMLEvents.h"

/// An open element: its name and line (for the message at a premature end), and, when blank text is kept, where its
/// held-back blank runs start in `deferred` and whether it has had text that is not blank.
struct open_element {
    int32_t name, line;
    size_t deferred_start;
    int has_text;
};

struct findoc_xml_events {
    xmlParserCtxtPtr ctxt;
    findoc_xml_event *items;
    uint32_t count;
    size_t capacity;
    findoc_xml_attribute *attributes;
    uint32_t attribute_count;
    size_t attribute_capacity;
    char *arena;
    size_t arena_length, arena_capacity;
    /// The text event still being added to, or -1; and whether it is blank so far.
    int64_t open_text;
    int open_text_blank;
    /// Keep blank runs as text events (the tree builder does, as libxml2's own tree keeps them).
    int keep_blank;
    /// Names by id: libxml2 dictionary strings, which live as long as the parser.
    const xmlChar **names;
    int32_t name_count;
    size_t name_capacity;
    /// Id by dictionary address: open addressing, `map_capacity` a power of two, at most half full.
    uintptr_t *map_keys;
    int32_t *map_values;
    uint32_t map_capacity, map_count;
    findoc_xml_event_error error;
    /// The open elements, innermost last.
    struct open_element *open;
    size_t open_depth, open_capacity;
    /// Blank runs held back, per open element (a stack: each element's are at the top while it is innermost).
    char *deferred;
    size_t deferred_length, deferred_capacity;
};

static void fail(findoc_xml_events *s, const char *message) {
    if (s->error.present) return;
    s->error.present = 1;
    s->error.code = XML_ERR_NO_MEMORY;
    s->error.line = s->ctxt && s->ctxt->input ? s->ctxt->input->line : 0;
    snprintf(s->error.message, sizeof s->error.message, "%s", message);
    if (s->ctxt) xmlStopParser(s->ctxt);
}

/// Grows `*buffer` (of `*capacity` items of `size` bytes) to hold at least `needed` items; 0 when memory ran out.
static int reserve(void **buffer, size_t size, size_t needed, size_t *capacity) {
    if (needed <= *capacity) return 1;
    size_t grown = *capacity ? *capacity : 64;
    while (grown < needed) grown *= 2;
    void *bigger = realloc(*buffer, grown * size);
    if (!bigger) return 0;
    *buffer = bigger;
    *capacity = grown;
    return 1;
}

/// `reserve`, recording the error (and stopping the parser) when memory ran out.
static int grow(findoc_xml_events *s, void **buffer, size_t size, size_t needed, size_t *capacity) {
    if (reserve(buffer, size, needed, capacity)) return 1;
    fail(s, "out of memory while reading the document");
    return 0;
}

static findoc_xml_event *push_event(findoc_xml_events *s, int32_t kind) {
    if (!grow(s, (void **)&s->items, sizeof(findoc_xml_event), (size_t)s->count + 1, &s->capacity)) return NULL;
    findoc_xml_event *event = &s->items[s->count++];
    memset(event, 0, sizeof *event);
    event->kind = kind;
    event->line = s->ctxt->input ? s->ctxt->input->line : 0;
    event->name = -1;
    event->uri = -1;
    event->prefix = -1;
    return event;
}

/// Appends `length` bytes to the arena; returns their offset, or -1 when memory ran out (or the chunk's arena would
/// pass 4 GiB, which offsets cannot address).
static int64_t append_bytes(findoc_xml_events *s, const char *bytes, size_t length) {
    if (s->arena_length + length > UINT32_MAX) {
        fail(s, "a single chunk of the document holds more than 4 GiB of text");
        return -1;
    }
    if (!grow(s, (void **)&s->arena, 1, s->arena_length + length, &s->arena_capacity)) return -1;
    size_t offset = s->arena_length;
    memcpy(s->arena + offset, bytes, length);
    s->arena_length += length;
    return (int64_t)offset;
}

static uint32_t map_slot(const findoc_xml_events *s, uintptr_t key) {
    uint64_t hash = (uint64_t)(key >> 3) * 0x9E3779B97F4A7C15ull;
    return (uint32_t)(hash >> 32) & (s->map_capacity - 1);
}

static int32_t map_find(const findoc_xml_events *s, uintptr_t key) {
    if (!s->map_capacity) return -1;
    for (uint32_t i = map_slot(s, key);; i = (i + 1) & (s->map_capacity - 1)) {
        if (s->map_keys[i] == key) return s->map_values[i];
        if (s->map_keys[i] == 0) return -1;
    }
}

static int map_insert(findoc_xml_events *s, uintptr_t key, int32_t value) {
    if ((s->map_count + 1) * 2 > s->map_capacity) {
        uint32_t capacity = s->map_capacity ? s->map_capacity * 2 : 64;
        uintptr_t *keys = calloc(capacity, sizeof *keys);
        int32_t *values = calloc(capacity, sizeof *values);
        if (!keys || !values) {
            free(keys);
            free(values);
            return 0;
        }
        uintptr_t *old_keys = s->map_keys;
        int32_t *old_values = s->map_values;
        uint32_t old_capacity = s->map_capacity;
        s->map_keys = keys;
        s->map_values = values;
        s->map_capacity = capacity;
        for (uint32_t i = 0; i < old_capacity; i++) {
            if (!old_keys[i]) continue;
            uint32_t j = map_slot(s, old_keys[i]);
            while (keys[j]) j = (j + 1) & (capacity - 1);
            keys[j] = old_keys[i];
            values[j] = old_values[i];
        }
        free(old_keys);
        free(old_values);
    }
    uint32_t i = map_slot(s, key);
    while (s->map_keys[i]) i = (i + 1) & (s->map_capacity - 1);
    s->map_keys[i] = key;
    s->map_values[i] = value;
    s->map_count++;
    return 1;
}

/// The id of `name`. A name libxml2's dictionary holds is known by its address alone (the dictionary keeps one copy
/// of each string and frees none while the parser lives); any other is first looked up in the dictionary, so that
/// one name always gets one id and a transient address is never remembered.
static int32_t intern(findoc_xml_events *s, const xmlChar *name) {
    if (!name) return -1;
    int32_t found = map_find(s, (uintptr_t)name);
    if (found >= 0) return found;
    xmlDictPtr dict = s->ctxt->dict;
    const xmlChar *canonical = name;
    if (!dict || !xmlDictOwns(dict, name)) {
        canonical = dict ? xmlDictLookup(dict, name, -1) : NULL;
        if (!canonical) {
            fail(s, "out of memory while reading the document");
            return -1;
        }
        found = map_find(s, (uintptr_t)canonical);
        if (found >= 0) return found;
    }
    if (s->name_count == INT32_MAX) {
        fail(s, "out of memory while reading the document");
        return -1;
    }
    if (!grow(s, (void **)&s->names, sizeof(const xmlChar *), (size_t)s->name_count + 1, &s->name_capacity)) return -1;
    int32_t id = s->name_count;
    if (!map_insert(s, (uintptr_t)canonical, id)) {
        fail(s, "out of memory while reading the document");
        return -1;
    }
    s->names[s->name_count++] = canonical;
    return id;
}

/// Ends the text run being collected; a run of only white space is dropped (the white space between elements).
static void close_text(findoc_xml_events *s) {
    if (s->open_text < 0) return;
    if (s->open_text_blank && s->open_text == (int64_t)s->count - 1) {
        s->arena_length = s->items[s->open_text].text_offset;
        s->count--;
    }
    s->open_text = -1;
}

/// The collector of a callback's context, or NULL for a context that is not the document's own (libxml2 checks an
/// entity's content through a context of its own, with the same handlers) or after an error.
static findoc_xml_events *collector(void *context) {
    xmlParserCtxtPtr ctxt = context;
    if (!ctxt) return NULL;
    findoc_xml_events *s = ctxt->_private;
    if (!s || s->ctxt != ctxt || s->error.present) return NULL;
    return s;
}

static void on_start(void *context, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri,
                     int namespace_count, const xmlChar **namespaces, int attribute_count, int defaulted,
                     const xmlChar **attributes) {
    (void)namespace_count;
    (void)namespaces;
    (void)defaulted;
    findoc_xml_events *s = collector(context);
    if (!s) return;
    close_text(s);
    int32_t name = intern(s, localname);
    int32_t uri_id = uri ? intern(s, uri) : -1;
    int32_t prefix_id = prefix ? intern(s, prefix) : -1;
    // A failed intern (memory) has recorded the error: no event may then carry an id of -1 for a name.
    if (s->error.present) return;
    uint32_t first = s->attribute_count;
    for (int i = 0; i < attribute_count && !s->error.present; i++) {
        const xmlChar *value = attributes[i * 5 + 3], *end = attributes[i * 5 + 4];
        int32_t attribute_name = intern(s, attributes[i * 5]);
        if (!grow(s, (void **)&s->attributes, sizeof(findoc_xml_attribute), (size_t)s->attribute_count + 1,
                  &s->attribute_capacity))
            return;
        // Without entity substitution libxml2 hands a literal '&' in an attribute value over as "&#38;" (its tree
        // builder decodes it again later); decode that one form here. A user entity stays as written, "&name;".
        size_t offset = s->arena_length, length = 0;
        const xmlChar *p = value;
        while (p < end) {
            const xmlChar *amp = p;
            while (amp < end && *amp != '&') amp++;
            if (append_bytes(s, (const char *)p, (size_t)(amp - p)) < 0) return;
            length += (size_t)(amp - p);
            if (amp == end) break;
            if (append_bytes(s, "&", 1) < 0) return;
            length += 1;
            p = amp + (end - amp >= 5 && memcmp(amp, "&#38;", 5) == 0 ? 5 : 1);
        }
        findoc_xml_attribute *attribute = &s->attributes[s->attribute_count++];
        attribute->name = attribute_name;
        attribute->value_offset = (uint32_t)offset;
        attribute->value_length = (uint32_t)length;
    }
    if (s->error.present) return;
    findoc_xml_event *event = push_event(s, FINDOC_XML_START);
    if (!event) return;
    event->name = name;
    if (!grow(s, (void **)&s->open, sizeof(struct open_element), s->open_depth + 1, &s->open_capacity)) return;
    struct open_element *element = &s->open[s->open_depth];
    element->name = name;
    element->line = event->line;
    element->deferred_start = s->deferred_length;
    element->has_text = 0;
    s->open_depth++;
    event->uri = uri_id;
    event->prefix = prefix_id;
    event->first_attribute = first;
    event->attribute_count = s->attribute_count - first;
}

static void on_end(void *context, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri) {
    (void)prefix;
    (void)uri;
    findoc_xml_events *s = collector(context);
    if (!s) return;
    close_text(s);
    int32_t name = intern(s, localname);
    if (s->error.present) return;
    findoc_xml_event *event = push_event(s, FINDOC_XML_END);
    if (event) event->name = name;
    if (s->open_depth > 0) {
        s->open_depth--;
        s->deferred_length = s->open[s->open_depth].deferred_start;
    }
}

/// True when the `length` bytes at `bytes` are all spaces, tabs, CRs and LFs: the white space between elements,
/// which is most of the character data in an indented file (a byte loop here was most of this collector's time).
static int is_blank(const xmlChar *bytes, int length) {
    int i = 0;
#if defined(__SSE2__)
    const __m128i space = _mm_set1_epi8(' '), lf = _mm_set1_epi8('\n'), tab = _mm_set1_epi8('\t'),
                  cr = _mm_set1_epi8('\r');
    for (; i + 16 <= length; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(bytes + i));
        __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, space), _mm_cmpeq_epi8(v, lf)),
                                   _mm_or_si128(_mm_cmpeq_epi8(v, tab), _mm_cmpeq_epi8(v, cr)));
        if (_mm_movemask_epi8(hit) != 0xFFFF) return 0;
    }
#endif
    for (; i < length; i++) {
        xmlChar c = bytes[i];
        if (c != ' ' && c != '\n' && c != '\t' && c != '\r') return 0;
    }
    return 1;
}

/// Opens a text event at the arena's end for the pieces that follow; 0 when memory ran out. The run counts as blank
/// until a piece that is not; blankness is only tracked where blank runs are dropped (see `close_text`).
static int start_text(findoc_xml_events *s) {
    findoc_xml_event *event = push_event(s, FINDOC_XML_TEXT);
    if (!event) return 0;
    event->text_offset = (uint32_t)s->arena_length;
    s->open_text = (int64_t)s->count - 1;
    s->open_text_blank = !s->keep_blank;
    return 1;
}

static void on_characters(void *context, const xmlChar *bytes, int length) {
    findoc_xml_events *s = collector(context);
    if (!s || length <= 0) return;
    // Keeping blank text, as libxml2's tree does (an element's text is all its pieces, or "" when they are all
    // blank): an element's blank runs are held back until its first piece that is not blank, and dropped at its end
    // if none comes. Indentation then costs no event, and mixed content still has every piece.
    if (s->keep_blank && s->open_depth > 0 && !s->open[s->open_depth - 1].has_text) {
        struct open_element *top = &s->open[s->open_depth - 1];
        if (is_blank(bytes, length)) {
            if (!grow(s, (void **)&s->deferred, 1, s->deferred_length + (size_t)length, &s->deferred_capacity)) return;
            memcpy(s->deferred + s->deferred_length, bytes, (size_t)length);
            s->deferred_length += (size_t)length;
            return;
        }
        top->has_text = 1;
        close_text(s);
        if (!start_text(s)) return;
        size_t held = s->deferred_length - top->deferred_start;
        if (held > 0) {
            if (append_bytes(s, s->deferred + top->deferred_start, held) < 0) return;
            s->items[s->open_text].text_length += (uint32_t)held;
            s->deferred_length = top->deferred_start;
        }
    }
    if (s->open_text < 0 && !start_text(s)) return;
    if (append_bytes(s, (const char *)bytes, (size_t)length) < 0) return;
    s->items[s->open_text].text_length += (uint32_t)length;
    if (s->open_text_blank && !is_blank(bytes, length)) s->open_text_blank = 0;
}

static void on_reference(void *context, const xmlChar *name) {
    findoc_xml_events *s = collector(context);
    if (!s) return;
    close_text(s);
    int32_t id = intern(s, name);
    if (s->error.present) return;
    findoc_xml_event *event = push_event(s, FINDOC_XML_ENTITY_REFERENCE);
    if (event) event->name = id;
}

// The structured-error callback's parameter became `const xmlError *` in libxml2 2.12.
#if LIBXML_VERSION >= 21200
static void on_error(void *context, const xmlError *error) {
#else
static void on_error(void *context, xmlErrorPtr error) {
#endif
    xmlParserCtxtPtr ctxt = context;
    if (!ctxt || !error || error->level < XML_ERR_ERROR) return;
    findoc_xml_events *s = ctxt->_private;
    if (!s || s->error.present) return;
    close_text(s);
    s->error.present = 1;
    s->error.code = error->code;
    s->error.line = error->line;
    s->error.column = error->int2;
    snprintf(s->error.message, sizeof s->error.message, "%s",
             error->message ? error->message : "the document is not well-formed XML");
    // libxml2 2.9's push parser words two errors unlike its pull parser (and xmllint): a document that ends inside
    // an element is "Extra content at the end of the document", and one without a start tag "Document is empty".
    // Say what happened, as the pull parser does.
    if (error->code == XML_ERR_DOCUMENT_END && s->open_depth > 0) {
        const struct open_element *innermost = &s->open[s->open_depth - 1];
        const char *name = findoc_xml_events_name(s, innermost->name);
        s->error.code = XML_ERR_TAG_NOT_FINISHED;
        snprintf(s->error.message, sizeof s->error.message, "Premature end of data in tag %s line %d",
                 name ? name : "?", innermost->line);
    } else if (error->code == XML_ERR_DOCUMENT_EMPTY) {
        snprintf(s->error.message, sizeof s->error.message, "Start tag expected, '<' not found");
    }
    size_t length = strlen(s->error.message);
    while (length > 0 && (s->error.message[length - 1] == '\n' || s->error.message[length - 1] == ' '))
        s->error.message[--length] = 0;
}

findoc_xml_events *findoc_xml_events_create(const char *head, int head_length, const char *url, int options,
                                            int keep_blank) {
    findoc_xml_events *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    s->open_text = -1;
    s->keep_blank = keep_blank;
    xmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    // libxml2's own SAX2 handlers for the document and its internal subset (entity declarations); findoc's for the
    // content, which build no tree.
    xmlSAXVersion(&sax, 2);
    sax.startElementNs = on_start;
    sax.endElementNs = on_end;
    sax.characters = on_characters;
    sax.ignorableWhitespace = on_characters;
    sax.cdataBlock = on_characters;
    sax.reference = on_reference;
    sax.comment = NULL;
    sax.processingInstruction = NULL;
    sax.startElement = NULL;
    sax.endElement = NULL;
    sax.serror = on_error;
    s->ctxt = xmlCreatePushParserCtxt(&sax, NULL, head, head_length, url);
    if (!s->ctxt) {
        free(s);
        return NULL;
    }
    s->ctxt->_private = s;
    xmlCtxtUseOptions(s->ctxt, options);
    return s;
}

uint32_t findoc_xml_events_feed(findoc_xml_events *s, const char *bytes, int length, int terminate) {
    s->count = 0;
    s->attribute_count = 0;
    s->arena_length = 0;
    s->open_text = -1;
    if (s->error.present) return 0;
    xmlParseChunk(s->ctxt, bytes, length, terminate);
    if (terminate) close_text(s);
    return s->count;
}

const findoc_xml_event *findoc_xml_events_items(const findoc_xml_events *s) { return s->items; }

const findoc_xml_attribute *findoc_xml_events_attributes(const findoc_xml_events *s) { return s->attributes; }

const char *findoc_xml_events_arena(const findoc_xml_events *s) { return s->arena; }

const char *findoc_xml_events_name(const findoc_xml_events *s, int32_t id) {
    if (id < 0 || id >= s->name_count) return NULL;
    return (const char *)s->names[id];
}

const findoc_xml_event_error *findoc_xml_events_error(const findoc_xml_events *s) { return &s->error; }

int findoc_xml_events_line(const findoc_xml_events *s) {
    return s->ctxt && s->ctxt->input ? s->ctxt->input->line : 0;
}

void findoc_xml_events_free(findoc_xml_events *s) {
    if (!s) return;
    if (s->ctxt) {
        if (s->ctxt->myDoc) xmlFreeDoc(s->ctxt->myDoc);
        s->ctxt->myDoc = NULL;
        xmlFreeParserCtxt(s->ctxt);
    }
    free(s->items);
    free(s->attributes);
    free(s->arena);
    free(s->names);
    free(s->map_keys);
    free(s->map_values);
    free(s->open);
    free(s->deferred);
    free(s);
}
