/// An item of an Imgur listing: an image or an album (Imgur's gallery mixes both). Decoding
/// is lenient the way the real API needs: counters may be `null` or beyond 32 bits, albums
/// carry no `type`, and fields come and go.
package struct ImgurItem: Sendable, Hashable, Decodable {
    package var id: String
    package var title: String?
    /// MIME type (`image/jpeg`…); absent on albums and on some items.
    package var type: String?
    package var link: String?
    package var isAlbum: Bool
    package var animated: Bool
    /// The video twin of an animated item, and its size (0: not made yet).
    package var mp4: String?
    package var mp4Size: Int?
    /// An HTML page that plays the mp4: never media.
    package var gifv: String?
    package var width: Int?
    package var height: Int?
    /// Bytes of the file.
    package var size: Int?
    /// For albums: how many images it holds, and the images when the listing includes them.
    package var imagesCount: Int?
    package var images: [ImgurItem]?
    /// Elements of `images` that are not items, a line each.
    package var rejectedImages: [String] = []
    /// What gallery users keep beside the file (sidecars, names, filters).
    package var description: String? = nil
    /// Seconds since 1970 it was posted.
    package var datetime: Int? = nil
    package var nsfw: Bool? = nil
    /// The account that posted it.
    package var account: String? = nil
    /// Tag names (Imgur sends objects with a `name`; plain strings are taken too).
    package var tags: [String] = []
    package var views: Int? = nil

    package init(id: String, title: String? = nil, type: String? = nil, link: String? = nil,
                isAlbum: Bool = false, animated: Bool = false, mp4: String? = nil, mp4Size: Int? = nil,
                width: Int? = nil, height: Int? = nil, size: Int? = nil,
                imagesCount: Int? = nil, images: [ImgurItem]? = nil) {
        self.id = id
        self.title = title
        self.type = type
        self.link = link
        self.isAlbum = isAlbum
        self.animated = animated
        self.mp4 = mp4
        self.mp4Size = mp4Size
        self.width = width
        self.height = height
        self.size = size
        self.imagesCount = imagesCount
        self.images = images
    }

    enum CodingKeys: String, CodingKey {
        case id, title, type, link, animated, mp4, gifv, width, height, size, images, cover
        case isAlbum = "is_album"
        case mp4Size = "mp4_size"
        case imagesCount = "images_count"
        case description, datetime, nsfw, tags, views
        case account = "account_url"
    }

    /// A tag: Imgur's object (`{"name": …}`) or a plain string.
    private struct TagName: Decodable {
        var name: String?
        init(from decoder: any Decoder) throws {
            if let text = try? decoder.singleValueContainer().decode(String.self) {
                name = text
                return
            }
            enum Keys: String, CodingKey { case name }
            name = try decoder.container(keyedBy: Keys.self).lenientString(.name)
        }
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        title = c.lenientString(.title)
        type = c.lenientString(.type)
        link = c.lenientString(.link)
        animated = (try? c.decodeIfPresent(Bool.self, forKey: .animated)) ?? false
        mp4 = c.lenientString(.mp4)
        mp4Size = c.lenientInt(.mp4Size)
        gifv = c.lenientString(.gifv)
        width = c.lenientInt(.width)
        height = c.lenientInt(.height)
        size = c.lenientInt(.size)
        imagesCount = c.lenientInt(.imagesCount)
        description = c.lenientString(.description)
        datetime = c.lenientInt(.datetime)
        nsfw = try? c.decodeIfPresent(Bool.self, forKey: .nsfw)
        account = c.lenientString(.account)
        tags = ((try? c.decodeIfPresent(LossyList<TagName>.self, forKey: .tags))?.elements ?? []).compactMap(\.name)
        views = c.lenientInt(.views)
        let list = try c.decodeIfPresent(LossyList<ImgurItem>.self, forKey: .images)
        images = list?.elements
        rejectedImages = list?.rejected ?? []
        if let flag = try? c.decodeIfPresent(Bool.self, forKey: .isAlbum) {
            isAlbum = flag
        } else {
            // No flag: an album is what has album fields and no type.
            isAlbum = type == nil && (imagesCount != nil || images != nil || c.contains(.cover))
        }
    }
}
/// A tag's page (`/3/gallery/t/…`): the tag's fields, and its posts under `items`.
package struct TagPage: Sendable, Decodable {
    package var items: LossyList<ImgurItem>
}

/// A JSON array whose elements are decoded one by one: an element of the wrong shape is
/// kept aside as a reason instead of failing the whole array.
package struct LossyList<Element: Decodable>: Decodable {
    // Sendable when Element is (below).
    package var elements: [Element] = []
    /// One line per element that could not be decoded.
    package var rejected: [String] = []

    /// Any JSON value: decoding it moves past the element whatever it is (a number, a string,
    /// null, an array; the synthesized init would accept only an object).
    private struct Skip: Decodable {
        init(from decoder: any Decoder) {}
    }

    package init(from decoder: any Decoder) throws {
        var container = try decoder.unkeyedContainer()
        while !container.isAtEnd {
            let position = container.currentIndex
            do {
                elements.append(try container.decode(Element.self))
            } catch {
                rejected.append("item \(position): \(DecodingFailure.describe(error))")
                _ = try? container.decode(Skip.self)
                // Never the case with Foundation's decoder; a decoder that can't move on
                // mustn't loop, and the elements left are said, not dropped.
                if container.currentIndex == position {
                    rejected.append("items from \(position + 1) on: could not be read past item \(position)")
                    break
                }
            }
        }
    }
}

extension LossyList: Sendable where Element: Sendable {}
