// findoc's event collector over libxml2's SAX2 push parser. libxml2's xmlTextReader builds a tree node for every
// element and text and frees it again, and a Swift caller then pays several calls per node to read it back; on a
// camt file that was about two thirds of the parse. Here the SAX2 callbacks (in C) write compact event records into
// a buffer for each chunk of input, and the caller walks the buffer: no tree, one call per chunk.
//
// This header uses plain C types only, so that importing it does not pull in libxml2's headers.
#ifndef FINDOC_XML_EVENTS_H
#define FINDOC_XML_EVENTS_H
#include <stddef.h>
#include <stdint.h>

/// What one event is.
enum {
    /// A start tag (an empty-element tag gives a start event and an end event).
    FINDOC_XML_START = 1,
    /// An end tag.
    FINDOC_XML_END = 2,
    /// Character data, CDATA sections included; consecutive pieces are joined. A run of only spaces, tabs, CRs and
    /// LFs that ends at a tag is dropped (a run cut at a chunk's end may still come as its own blank event); with
    /// `keep_blank`, an element's blank runs are dropped only when all its text is blank, and otherwise come with it
    /// (mixed content keeps every piece, as libxml2's tree does).
    FINDOC_XML_TEXT = 3,
    /// A reference to a general entity that is not substituted; `name` is the entity's name.
    FINDOC_XML_ENTITY_REFERENCE = 4,
};

/// One event. Texts are (offset, length) in the chunk's byte arena (`findoc_xml_events_arena`), UTF-8.
typedef struct {
    int32_t kind;
    /// The input line where libxml2 was when it reported the event (a start tag's `>`, a text's first piece).
    int32_t line;
    /// The local name's id (start, end, entity reference); -1 otherwise. Ids are small and stable for the parser.
    int32_t name;
    /// The namespace URI's id (start tags in a namespace); -1 for none.
    int32_t uri;
    /// The namespace prefix's id (start tags written with one, `cbc:ID`); -1 for none.
    int32_t prefix;
    /// Text: its bytes in the arena.
    uint32_t text_offset;
    uint32_t text_length;
    /// Start tags: the first of its attributes in `findoc_xml_events_attributes`, and how many.
    uint32_t first_attribute;
    uint32_t attribute_count;
} findoc_xml_event;

/// One attribute of a start tag: its local name's id and its value in the arena.
typedef struct {
    int32_t name;
    uint32_t value_offset;
    uint32_t value_length;
} findoc_xml_attribute;

/// The first error (or fatal error) libxml2 reported, if any.
typedef struct {
    /// 0 when there is none.
    int32_t present;
    int32_t code;
    int32_t line;
    int32_t column;
    /// libxml2's message, NUL-terminated, without its trailing newline.
    char message[512];
} findoc_xml_event_error;

typedef struct findoc_xml_events findoc_xml_events;

/// Creates a parser for a document named `url` (used in messages only, never fetched), with the libxml2 parser
/// options `options`. `head` / `head_length` are the document's first bytes (at least 4 when the document has that
/// many, for the encoding); they are read at the first `findoc_xml_events_feed`. `keep_blank` 1 keeps the white
/// space of any element that also has other text (see FINDOC_XML_TEXT). NULL if libxml2 cannot make one.
findoc_xml_events *findoc_xml_events_create(const char *head, int head_length, const char *url, int options,
                                            int keep_blank);

/// Drops the previous chunk's events and parses `length` more bytes (`terminate` 1 for the last call, which may have
/// no bytes). Returns the number of events now available: after an error, only those before it (no event is recorded
/// once libxml2 has reported an error), and further feeds give none.
uint32_t findoc_xml_events_feed(findoc_xml_events *events, const char *bytes, int length, int terminate);

/// The events of the last feed.
const findoc_xml_event *findoc_xml_events_items(const findoc_xml_events *events);

/// The attributes of the last feed's start events.
const findoc_xml_attribute *findoc_xml_events_attributes(const findoc_xml_events *events);

/// The last feed's byte arena (texts and attribute values).
const char *findoc_xml_events_arena(const findoc_xml_events *events);

/// The name (or URI) with id `id`, NUL-terminated UTF-8, valid as long as the parser; NULL for an unknown id.
const char *findoc_xml_events_name(const findoc_xml_events *events, int32_t id);

/// The first error so far.
const findoc_xml_event_error *findoc_xml_events_error(const findoc_xml_events *events);

/// The line libxml2 is at.
int findoc_xml_events_line(const findoc_xml_events *events);

/// Frees the parser and everything it holds.
void findoc_xml_events_free(findoc_xml_events *events);

#endif
