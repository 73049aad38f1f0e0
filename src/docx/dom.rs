//! The smallest tree html5ever can build into: elements with their attributes, and text.
//! (ammonia keeps its own tree to itself, and markup5ever_rcdom is not published with
//! html5ever 0.40.) Comments, doctypes and processing instructions are dropped.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use html5ever::interface::{ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::StrTendril;
use html5ever::{Attribute, ExpandedName, QualName};

/// A node of the tree.
pub(super) type Handle = Rc<Node>;

/// What a node is.
pub(super) enum NodeKind {
    Document,
    Element,
    Text(RefCell<StrTendril>),
    /// A comment, doctype or processing instruction: kept out of the document.
    Other,
}

/// A node: its kind, its name and attributes if an element, its children.
pub(super) struct Node {
    pub(super) kind: NodeKind,
    /// The element's name; empty for other nodes.
    pub(super) name: QualName,
    pub(super) attrs: RefCell<Vec<Attribute>>,
    pub(super) children: RefCell<Vec<Handle>>,
    parent: Cell<Option<Weak<Node>>>,
    /// A `<template>`'s contents (never read: print pages have none).
    template: Option<Handle>,
}

impl Node {
    fn new(kind: NodeKind) -> Handle {
        Rc::new(Node {
            kind,
            name: QualName::new(None, html5ever::ns!(), html5ever::local_name!("")),
            attrs: RefCell::new(Vec::new()),
            children: RefCell::new(Vec::new()),
            parent: Cell::new(None),
            template: None,
        })
    }
}

impl Drop for Node {
    // Children are dropped one after another, not by recursion: a page nested thousands
    // deep must not overflow the stack.
    fn drop(&mut self) {
        let mut stack = std::mem::take(&mut *self.children.borrow_mut());
        while let Some(node) = stack.pop() {
            stack.extend(std::mem::take(&mut *node.children.borrow_mut()));
        }
    }
}

/// The tree being built, and its root.
pub(super) struct Dom {
    pub(super) document: Handle,
}

impl Default for Dom {
    fn default() -> Self {
        Dom {
            document: Node::new(NodeKind::Document),
        }
    }
}

fn parent_and_index(target: &Handle) -> Option<(Handle, usize)> {
    let parent = target.parent.take()?;
    target.parent.set(Some(parent.clone()));
    let parent = parent.upgrade()?;
    let i = parent
        .children
        .borrow()
        .iter()
        .position(|c| Rc::ptr_eq(c, target))?;
    Some((parent, i))
}

fn detach(target: &Handle) {
    if let Some((parent, i)) = parent_and_index(target) {
        parent.children.borrow_mut().remove(i);
        target.parent.set(None);
    }
}

fn append_child(parent: &Handle, child: Handle) {
    detach(&child);
    child.parent.set(Some(Rc::downgrade(parent)));
    parent.children.borrow_mut().push(child);
}

/// Adds `text` to `node` if it is a text node.
fn extend_text(node: &Handle, text: &str) -> bool {
    match &node.kind {
        NodeKind::Text(t) => {
            t.borrow_mut().push_slice(text);
            true
        }
        _ => false,
    }
}

fn text_node(text: StrTendril) -> Handle {
    Node::new(NodeKind::Text(RefCell::new(text)))
}

impl TreeSink for Dom {
    type Handle = Handle;
    type Output = Self;
    type ElemName<'a> = ExpandedName<'a>;

    fn finish(self) -> Self {
        self
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> Handle {
        self.document.clone()
    }

    fn elem_name<'a>(&'a self, target: &'a Handle) -> ExpandedName<'a> {
        target.name.expanded()
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> Handle {
        Rc::new(Node {
            kind: NodeKind::Element,
            name,
            attrs: RefCell::new(attrs),
            children: RefCell::new(Vec::new()),
            parent: Cell::new(None),
            template: flags.template.then(|| Node::new(NodeKind::Document)),
        })
    }

    fn create_comment(&self, _text: StrTendril) -> Handle {
        Node::new(NodeKind::Other)
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> Handle {
        Node::new(NodeKind::Other)
    }

    fn append(&self, parent: &Handle, child: NodeOrText<Handle>) {
        match child {
            NodeOrText::AppendText(text) => {
                let last = parent.children.borrow().last().cloned();
                if !last.is_some_and(|l| extend_text(&l, &text)) {
                    append_child(parent, text_node(text));
                }
            }
            NodeOrText::AppendNode(node) => append_child(parent, node),
        }
    }

    fn append_based_on_parent_node(
        &self,
        element: &Handle,
        prev_element: &Handle,
        child: NodeOrText<Handle>,
    ) {
        if parent_and_index(element).is_some() {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {}

    fn get_template_contents(&self, target: &Handle) -> Handle {
        target
            .template
            .clone()
            .unwrap_or_else(|| Node::new(NodeKind::Document))
    }

    fn same_node(&self, x: &Handle, y: &Handle) -> bool {
        Rc::ptr_eq(x, y)
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &Handle, child: NodeOrText<Handle>) {
        let Some((parent, i)) = parent_and_index(sibling) else {
            return;
        };
        let node = match child {
            NodeOrText::AppendText(text) => {
                let prev = i
                    .checked_sub(1)
                    .and_then(|p| parent.children.borrow().get(p).cloned());
                if prev.is_some_and(|p| extend_text(&p, &text)) {
                    return;
                }
                text_node(text)
            }
            NodeOrText::AppendNode(node) => node,
        };
        detach(&node);
        node.parent.set(Some(Rc::downgrade(&parent)));
        let mut children = parent.children.borrow_mut();
        let i = i.min(children.len());
        children.insert(i, node);
    }

    fn add_attrs_if_missing(&self, target: &Handle, attrs: Vec<Attribute>) {
        let mut existing = target.attrs.borrow_mut();
        for a in attrs {
            if !existing.iter().any(|e| e.name == a.name) {
                existing.push(a);
            }
        }
    }

    fn remove_from_parent(&self, target: &Handle) {
        detach(target);
    }

    fn reparent_children(&self, node: &Handle, new_parent: &Handle) {
        let children = std::mem::take(&mut *node.children.borrow_mut());
        for c in &children {
            c.parent.set(Some(Rc::downgrade(new_parent)));
        }
        new_parent.children.borrow_mut().extend(children);
    }
}
