//! Running a page's content streams for their text: the text and graphics state operators,
//! the strings shown, and the forms drawn, in stream order. Where one run of glyphs ends and
//! the next begins decides the spaces and line breaks between them.

use std::collections::HashMap;
use std::rc::Rc;

use lopdf::{Dictionary, Object};

use super::font::Font;
use super::lexer::{Lexer, Token};
use super::matrix::Matrix;
use super::objects::Objects;
use super::ExtractError;

/// Forms drawn inside forms deeper than this are skipped (they may draw each other).
const MAX_FORM_DEPTH: usize = 8;
/// Operators run per page, forms included, before the rest of the page is skipped.
const MAX_OPERATORS: usize = 4_000_000;
/// Operands kept before an operator; more means the stream is not content.
const MAX_OPERANDS: usize = 4096;
/// `q` nesting kept; deeper saves are not restored.
const MAX_SAVED_STATES: usize = 256;
/// A gap wider than this share of the font size between two runs on a line is a space.
const WORD_GAP: f32 = 0.15;
/// A baseline moving by more than this share of the font size starts a new line.
const LINE_GAP: f32 = 0.5;
/// Going back on a line by more than this share of the font size is a space too.
const BACKWARD_GAP: f32 = 1.0;

/// The state `q` saves and `Q` restores that matters to text.
#[derive(Clone, Debug)]
struct State {
    ctm: Matrix,
    font: Option<Rc<Font>>,
    size: f32,
    char_spacing: f32,
    word_spacing: f32,
    horizontal_scale: f32,
    leading: f32,
}

impl Default for State {
    fn default() -> Self {
        State {
            ctm: Matrix::IDENTITY,
            font: None,
            size: 0.0,
            char_spacing: 0.0,
            word_spacing: 0.0,
            horizontal_scale: 1.0,
            leading: 0.0,
        }
    }
}

/// An operand of a content stream operator.
#[derive(Debug)]
enum Operand<'a> {
    Number(f32),
    String(Vec<u8>),
    Name(&'a [u8]),
    /// An array's numbers and strings (nested arrays flattened, other items dropped).
    Array(Vec<Operand<'a>>),
}

/// Where the last shown glyph run ended, in device space, and along which direction.
#[derive(Clone, Copy, Debug)]
struct RunEnd {
    x: f32,
    y: f32,
    /// The unit vector of the text's baseline.
    along: (f32, f32),
}

/// The fonts of one document, loaded once each.
#[derive(Default)]
pub(super) struct FontCache {
    fonts: HashMap<usize, Rc<Font>>,
    fallback: Option<Rc<Font>>,
}

/// Runs content streams and writes the text they show.
pub(super) struct TextWriter<'a> {
    objects: &'a Objects,
    fonts: &'a mut FontCache,
    out: &'a mut String,
    state: State,
    saved: Vec<State>,
    text_matrix: Matrix,
    line_matrix: Matrix,
    last: Option<RunEnd>,
    operators: usize,
}

impl<'a> TextWriter<'a> {
    /// A writer appending to `out`, starting a page.
    pub(super) fn new(objects: &'a Objects, fonts: &'a mut FontCache, out: &'a mut String) -> Self {
        TextWriter {
            objects,
            fonts,
            out,
            state: State::default(),
            saved: Vec::new(),
            text_matrix: Matrix::IDENTITY,
            line_matrix: Matrix::IDENTITY,
            last: None,
            operators: 0,
        }
    }

    /// Runs the content stream `data` with `resources`, drawing forms `depth` deep.
    pub(super) fn run(
        &mut self,
        data: &[u8],
        resources: Option<&Dictionary>,
        depth: usize,
    ) -> Result<(), ExtractError> {
        let mut lexer = Lexer::new(data);
        let mut operands: Vec<Operand> = Vec::new();
        while let Some(token) = lexer.next() {
            let operand = match token {
                Token::Number(number) => Operand::Number(number),
                Token::String(string) => Operand::String(string),
                Token::Name(name) => Operand::Name(name),
                Token::ArrayStart => Operand::Array(array(&mut lexer)),
                Token::DictStart => {
                    skip_dict(&mut lexer);
                    continue;
                }
                Token::ArrayEnd | Token::DictEnd => continue,
                Token::Operator(b"ID") => {
                    lexer.skip_inline_image();
                    operands.clear();
                    continue;
                }
                Token::Operator(operator) => {
                    self.operators += 1;
                    if self.operators > MAX_OPERATORS {
                        return Ok(());
                    }
                    self.operate(operator, &operands, resources, depth)?;
                    operands.clear();
                    continue;
                }
            };
            if operands.len() < MAX_OPERANDS {
                operands.push(operand);
            }
        }
        Ok(())
    }

    /// Applies one operator.
    fn operate(
        &mut self,
        operator: &[u8],
        operands: &[Operand],
        resources: Option<&Dictionary>,
        depth: usize,
    ) -> Result<(), ExtractError> {
        let numbers = || -> Vec<f32> {
            operands
                .iter()
                .filter_map(|operand| match operand {
                    Operand::Number(number) => Some(*number),
                    _ => None,
                })
                .collect()
        };
        let last_number = || match operands.last() {
            Some(Operand::Number(number)) if number.is_finite() => Some(*number),
            _ => None,
        };
        match operator {
            b"BT" => {
                self.text_matrix = Matrix::IDENTITY;
                self.line_matrix = Matrix::IDENTITY;
            }
            b"Tf" => {
                if let (Some(Operand::Name(name)), Some(size)) = (operands.first(), last_number()) {
                    self.state.font = Some(self.font(resources, name)?);
                    self.state.size = size;
                }
            }
            b"Td" => {
                if let [x, y] = numbers()[..] {
                    self.move_line(x, y);
                }
            }
            b"TD" => {
                if let [x, y] = numbers()[..] {
                    self.state.leading = -y;
                    self.move_line(x, y);
                }
            }
            b"Tm" => {
                if let Some(matrix) = Matrix::from_numbers(&numbers()) {
                    self.text_matrix = matrix;
                    self.line_matrix = matrix;
                }
            }
            b"T*" => self.next_line(),
            b"Tc" => self.state.char_spacing = last_number().unwrap_or(0.0),
            b"Tw" => self.state.word_spacing = last_number().unwrap_or(0.0),
            b"Tz" => self.state.horizontal_scale = last_number().unwrap_or(100.0) / 100.0,
            b"TL" => self.state.leading = last_number().unwrap_or(0.0),
            b"Tj" => {
                if let Some(Operand::String(string)) = operands.last() {
                    self.show(string)?;
                }
            }
            b"'" => {
                self.next_line();
                if let Some(Operand::String(string)) = operands.last() {
                    self.show(string)?;
                }
            }
            b"\"" => {
                if let [Operand::Number(word), Operand::Number(char), Operand::String(string)] =
                    operands
                {
                    self.state.word_spacing = *word;
                    self.state.char_spacing = *char;
                    self.next_line();
                    self.show(string)?;
                }
            }
            b"TJ" => {
                if let Some(Operand::Array(items)) = operands.last() {
                    for item in items {
                        match item {
                            Operand::String(string) => self.show(string)?,
                            Operand::Number(adjustment) => {
                                let shift = -adjustment / 1000.0
                                    * self.state.size
                                    * self.state.horizontal_scale;
                                self.advance(shift);
                            }
                            Operand::Name(_) | Operand::Array(_) => {}
                        }
                    }
                }
            }
            b"cm" => {
                if let Some(matrix) = Matrix::from_numbers(&numbers()) {
                    self.state.ctm = matrix.then(self.state.ctm);
                }
            }
            b"q" if self.saved.len() < MAX_SAVED_STATES => {
                self.saved.push(self.state.clone());
            }
            b"Q" => {
                if let Some(state) = self.saved.pop() {
                    self.state = state;
                }
            }
            b"Do" => {
                if let Some(Operand::Name(name)) = operands.last() {
                    self.draw_form(resources, name, depth)?;
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// The font `name` of `resources`, loaded once per document; the fallback font when
    /// there is no such font.
    fn font(
        &mut self,
        resources: Option<&Dictionary>,
        name: &[u8],
    ) -> Result<Rc<Font>, ExtractError> {
        let objects = self.objects;
        let Some(dict) = resources
            .and_then(|resources| objects.dict(resources, b"Font"))
            .and_then(|fonts| objects.dict(fonts, name))
        else {
            let fallback = self
                .fonts
                .fallback
                .get_or_insert_with(|| Rc::new(Font::fallback()));
            return Ok(Rc::clone(fallback));
        };
        // The document outlives the cache, so a dictionary's address names it.
        let key = dict as *const Dictionary as usize;
        if let Some(font) = self.fonts.fonts.get(&key) {
            return Ok(Rc::clone(font));
        }
        let font = Rc::new(Font::load(objects, dict)?);
        self.fonts.fonts.insert(key, Rc::clone(&font));
        Ok(font)
    }

    /// Runs the form XObject `name` of `resources`, in its own coordinates and resources.
    fn draw_form(
        &mut self,
        resources: Option<&Dictionary>,
        name: &[u8],
        depth: usize,
    ) -> Result<(), ExtractError> {
        let objects = self.objects;
        if depth >= MAX_FORM_DEPTH {
            return Ok(());
        }
        let Some(Object::Stream(form)) = resources
            .and_then(|resources| objects.dict(resources, b"XObject"))
            .and_then(|xobjects| objects.get(xobjects, name))
        else {
            return Ok(());
        };
        if objects.name(&form.dict, b"Subtype") != Some(b"Form") {
            return Ok(());
        }
        let Some(data) = objects.data(form)? else {
            return Ok(());
        };
        let saved = self.state.clone();
        let (text_matrix, line_matrix) = (self.text_matrix, self.line_matrix);
        if let Some(matrix) = objects
            .array(&form.dict, b"Matrix")
            .map(|numbers| {
                numbers
                    .iter()
                    .filter_map(|n| objects.resolve(n)?.as_float().ok())
                    .collect::<Vec<_>>()
            })
            .and_then(|numbers| Matrix::from_numbers(&numbers))
        {
            self.state.ctm = matrix.then(self.state.ctm);
        }
        let form_resources = objects.dict(&form.dict, b"Resources").or(resources);
        let saved_depth = self.saved.len();
        self.run(&data, form_resources, depth + 1)?;
        self.saved.truncate(saved_depth);
        self.state = saved;
        self.text_matrix = text_matrix;
        self.line_matrix = line_matrix;
        Ok(())
    }

    fn move_line(&mut self, x: f32, y: f32) {
        if x.is_finite() && y.is_finite() {
            self.line_matrix = Matrix::translation(x, y).then(self.line_matrix);
            self.text_matrix = self.line_matrix;
        }
    }

    fn next_line(&mut self) {
        self.move_line(0.0, -self.state.leading);
    }

    /// Moves the text position `shift` text space units along the baseline.
    fn advance(&mut self, shift: f32) {
        if shift.is_finite() {
            self.text_matrix = Matrix::translation(shift, 0.0).then(self.text_matrix);
        }
    }

    /// Shows `string`: a space or line break first if it starts away from where the last
    /// run ended, then its text, then the text position moves past its glyphs.
    fn show(&mut self, string: &[u8]) -> Result<(), ExtractError> {
        let Some(font) = self.state.font.clone() else {
            return Ok(());
        };
        let device = self.text_matrix.then(self.state.ctm);
        let [a, b, c, d, x, y] = device.0;
        let along_length = a.hypot(b);
        let font_size = (self.state.size * c.hypot(d)).abs();
        if along_length > 0.0 && along_length.is_finite() {
            let along = (a / along_length, b / along_length);
            if let Some(last) = self.last {
                self.separate(last, x, y, along, font_size);
            }
            let start = self.out.len();
            let shown = font.show(string, self.out);
            let shift = (shown.advance * self.state.size
                + shown.glyphs as f32 * self.state.char_spacing
                + shown.spaces as f32 * self.state.word_spacing)
                * self.state.horizontal_scale;
            self.advance(shift);
            let end = self.text_matrix.then(self.state.ctm);
            if self.out.len() > start || self.last.is_none() {
                self.last = Some(RunEnd {
                    x: end.0[4],
                    y: end.0[5],
                    along,
                });
            }
        }
        if self.out.len() as u64 > self.objects.max_inflated as u64 {
            return Err(ExtractError::TooLarge {
                limit: self.objects.max_inflated as u64,
            });
        }
        Ok(())
    }

    /// Writes the space or line break between the run that ended at `last` and one starting
    /// at (`x`, `y`) along `along`.
    fn separate(&mut self, last: RunEnd, x: f32, y: f32, along: (f32, f32), font_size: f32) {
        let (dx, dy) = (x - last.x, y - last.y);
        let forward = dx * last.along.0 + dy * last.along.1;
        let across = -dx * last.along.1 + dy * last.along.0;
        let turned = (along.0 - last.along.0).abs() + (along.1 - last.along.1).abs() > 0.1;
        let separator = if turned || across.abs() > LINE_GAP * font_size {
            '\n'
        } else if forward > WORD_GAP * font_size || forward < -BACKWARD_GAP * font_size {
            ' '
        } else {
            return;
        };
        if separator == '\n' && self.ends_with_hyphenated_word() {
            // Joined as pdftotext joins them, so that the word can be found.
            self.out.pop();
            return;
        }
        match self.out.chars().next_back() {
            None | Some('\n' | '\x0c') => {}
            Some(c) if c.is_whitespace() && separator == ' ' => {}
            Some(' ') => {
                self.out.pop();
                self.out.push(separator);
            }
            Some(_) => self.out.push(separator),
        }
    }
}

impl TextWriter<'_> {
    /// True when the text ends with a letter and a hyphen: a word broken across lines.
    fn ends_with_hyphenated_word(&self) -> bool {
        let mut last = self.out.chars().rev();
        last.next() == Some('-') && last.next().is_some_and(char::is_alphabetic)
    }
}

/// Reads an array's items after its `[`, up to its `]`.
fn array<'a>(lexer: &mut Lexer<'a>) -> Vec<Operand<'a>> {
    let mut items = Vec::new();
    let mut depth = 0usize;
    while let Some(token) = lexer.next() {
        match token {
            Token::Number(number) => items.push(Operand::Number(number)),
            Token::String(string) => items.push(Operand::String(string)),
            Token::ArrayStart => depth += 1,
            Token::ArrayEnd if depth == 0 => break,
            Token::ArrayEnd => depth -= 1,
            Token::DictStart => skip_dict(lexer),
            Token::Name(_) | Token::DictEnd | Token::Operator(_) => {}
        }
        if items.len() >= MAX_OPERANDS {
            break;
        }
    }
    items
}

/// Skips a dictionary after its `<<`, up to its `>>`.
fn skip_dict(lexer: &mut Lexer) {
    let mut depth = 0usize;
    for token in lexer.by_ref() {
        match token {
            Token::DictStart => depth += 1,
            Token::DictEnd if depth == 0 => return,
            Token::DictEnd => depth -= 1,
            Token::Number(_)
            | Token::String(_)
            | Token::Name(_)
            | Token::ArrayStart
            | Token::ArrayEnd
            | Token::Operator(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use lopdf::{dictionary, Document, Object};

    use super::*;

    /// The text `content` shows with `/F1`, a font whose glyphs are all half an em wide.
    fn text_of(content: &[u8]) -> String {
        let mut document = Document::new();
        let font = document.add_object(dictionary! {
            "Type" => "Font",
            "Subtype" => "Type1",
            "BaseFont" => "Helvetica",
            "Encoding" => "WinAnsiEncoding",
            "FirstChar" => 0,
            "Widths" => vec![Object::Integer(500); 256],
        });
        let resources = dictionary! { "Font" => dictionary! { "F1" => font } };
        let objects = Objects {
            document,
            max_inflated: 1 << 20,
        };
        let mut fonts = FontCache::default();
        let mut out = String::new();
        TextWriter::new(&objects, &mut fonts, &mut out)
            .run(content, Some(&resources), 0)
            .unwrap();
        out
    }

    #[test]
    fn runs_on_a_line_join_or_part_by_their_gap() {
        // "Hel" ends at x = 15 (3 glyphs of 5 points); "lo" starts there, "world" 3 points on.
        assert_eq!(
            text_of(b"BT /F1 10 Tf (Hel) Tj (lo) Tj 28 0 Td (world) Tj ET"),
            "Hello world"
        );
    }

    #[test]
    fn kerning_parts_words_only_when_wide() {
        assert_eq!(
            text_of(b"BT /F1 10 Tf [(Ke) 50 (rn) -80 (ing) -300 (gap)] TJ ET"),
            "Kerning gap"
        );
    }

    #[test]
    fn a_new_baseline_is_a_new_line() {
        assert_eq!(
            text_of(b"BT /F1 10 Tf 12 TL (one) Tj T* (two) ' 15 -2 Td (x) Tj ET"),
            "one\ntwox"
        );
    }

    #[test]
    fn a_word_hyphenated_at_a_line_end_is_joined() {
        assert_eq!(
            text_of(b"BT /F1 10 Tf 12 TL (docu-) Tj T* (mentation 1-) Tj T* (-y) Tj ET"),
            "documentation 1-\n-y"
        );
    }

    #[test]
    fn forms_and_matrices_place_text() {
        assert_eq!(
            text_of(
                b"q 2 0 0 2 0 0 cm BT /F1 5 Tf (big) Tj ET Q BT /F1 10 Tf 15 0 Td (next) Tj ET"
            ),
            "bignext"
        );
    }

    #[test]
    fn a_missing_font_reads_as_latin_1() {
        assert_eq!(text_of(b"BT /F9 10 Tf (caf\xe9) Tj ET"), "café");
    }

    #[test]
    fn garbage_does_not_stop_the_page() {
        assert_eq!(
            text_of(b"BT /F1 Tf (lost) Tj ] >> /F1 10 Tf BI /W 1 ID \x01\x02 EI (kept) Tj"),
            "kept"
        );
    }
}
